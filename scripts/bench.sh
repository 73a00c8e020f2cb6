#!/usr/bin/env bash
# Benchmarks on generated packs (../shared/tools/gen-corpus.py): check, build and verify at
# 1k/10k/100k evidence records, each reported with wall time, peak memory and ratios to two
# baselines measured in the same run: `openssl dgst -sha256` over every file of the same pack (the
# floor for a tool that must hash every byte) and `cp -r` of the pack beside the output (the floor
# for a tool that must write every byte once; build writes the attachments three times: the bundle
# folder and both zips). Nothing here is part of the test suite.
#
# Usage: scripts/bench.sh [SIZES...]        (default: 1000 10000 100000)
# Env:   ATTACH_MB_PER_1K (default 2: attachment megabytes per 1,000 records), BENCH_DIR (default /tmp/evidencepack-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
gen=../shared/tools/gen-corpus.py
[ -f "$gen" ] || { echo "needs $gen (the shared tools folder beside the project)"; exit 2; }
sizes=("${@:-1000 10000 100000}")
read -r -a sizes <<<"${sizes[*]}"
dir=${BENCH_DIR:-/tmp/evidencepack-bench}
mkdir -p "$dir"
cargo build --release --quiet
bin=$PWD/target/release/evidencepack

measure() { # label, command...: prints seconds and peak MiB
  local label=$1; shift
  local t; t=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$t" "$@" >/dev/null 2>"$dir/last.err" || { echo "$label failed:"; tail -5 "$dir/last.err"; }
  read -r secs kb <"$t"; rm -f "$t"
  echo "$secs $((kb / 1024))"
}

printf '%-8s %-8s %9s %9s %9s %9s %9s %9s\n' records step seconds peakMiB openssl ratio cp-r ratio
for n in "${sizes[@]}"; do
  pack="$dir/corpus-$n"
  mb=$(( n * ${ATTACH_MB_PER_1K:-2} / 1000 )); [ "$mb" -ge 1 ] || mb=1
  [ -f "$pack/pack.yaml" ] || python3 "$gen" --out "$pack" --evidence "$n" --attachments-mb "$mb" --seed 1 >/dev/null
  # Baseline: hash every input byte once with openssl (page cache warm for both).
  find "$pack" -type f -print0 | xargs -0 cat >/dev/null
  read -r base _ < <(measure baseline sh -c "find '$pack' -type f -print0 | xargs -0 openssl dgst -sha256")
  rm -rf "$dir/copy-$n"
  read -r copy _ < <(measure cp-r cp -r "$pack" "$dir/copy-$n")
  rm -rf "$dir/copy-$n"
  out="$dir/out-$n"; rm -rf "$out"
  for step in check build verify; do
    case $step in
      check)  read -r s m < <(measure check "$bin" --content "$pack" check) ;;
      build)  read -r s m < <(measure build "$bin" --content "$pack" --out "$out" build) ;;
      verify) read -r s m < <(measure verify "$bin" verify "$out") ;;
    esac
    ratio=$(awk -v a="$s" -v b="$base" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
    ratio_cp=$(awk -v a="$s" -v b="$copy" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
    printf '%-8s %-8s %9s %9s %9s %9s %9s %9s\n' "$n" "$step" "$s" "$m" "$base" "${ratio}x" "$copy" "${ratio_cp}x"
  done
done
