#!/usr/bin/env bash
# Benchmarks on generated packs: check, build and verify at 1k/10k/100k evidence records, each
# reported with wall time, peak memory and ratios to two baselines measured in the same run:
# `openssl dgst -sha256` over every file of the same pack (the floor for a tool that must hash
# every byte) and `cp -r` of the pack beside the output (the floor for a tool that must write
# every byte once; build writes the attachments three times: the bundle folder and both zips).
# Packs come from the repository's own generator (examples/gen-pack, seed 1), so anyone who
# clones the project can reproduce every figure; nothing outside the repository is needed
# besides openssl and GNU time. Nothing here is part of the test suite.
#
# Usage: scripts/bench.sh [SIZES...]        (default: 1000 10000 100000)
# Env:   ATTACH_MB_PER_1K  attachment megabytes per 1,000 records (default 2)
#        SOURCE_ROWS       also time `check` on the same pack with raw exports of that many rows
#                          declared as sources (a generic CSV, a Jira CSV, then both), against
#                          `check` without them, best of ROUNDS (default 3) runs each; e.g.
#                          SOURCE_ROWS=1000000 STEPS=check scripts/bench.sh 100000.
#        STEPS             which steps to time (default "check build verify")
#        BENCH_DIR         where packs and outputs go (default /tmp/evidencepack-bench); packs
#                          are kept between runs and regenerated when the generator changes.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in openssl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench.sh needs $tool"; exit 2; }
done
sizes=("${@:-1000 10000 100000}")
read -r -a sizes <<<"${sizes[*]}"
dir=${BENCH_DIR:-/tmp/evidencepack-bench}
mkdir -p "$dir"
cargo build --release --quiet --locked
cargo build --release --quiet --locked --example gen-pack
bin=$PWD/target/release/evidencepack
gen=$PWD/target/release/examples/gen-pack
# Packs are named after the generator's source, so a changed generator never reuses an old pack.
genver=$(find examples/gen-pack -name '*.rs' | sort | xargs cat | openssl dgst -sha256 -r | cut -c1-8)

measure() { # label, command...: prints "seconds peakMiB cpu-seconds"; on failure says why, returns 1
  local label=$1; shift
  local t; t=$(mktemp)
  local ok=0
  /usr/bin/time -f '%e %M %U %S' -o "$t" "$@" >"$dir/last.out" 2>"$dir/last.err" || ok=$?
  read -r secs kb user sys < <(tail -1 "$t"); rm -f "$t"
  if [ "$ok" -ne 0 ]; then
    { echo "$label failed (exit $ok):"; tail -5 "$dir/last.out" "$dir/last.err"; } >&2
    return 1
  fi
  echo "$secs $((kb / 1024)) $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }

generate() { # pack dir, gen-pack arguments...: generates once, prints the time taken
  local pack=$1; shift
  if [ -f "$pack/pack.yaml" ]; then return; fi
  rm -rf "$pack"
  local s
  read -r s _ < <(measure gen-pack "$gen" --out "$pack" --seed 1 "$@")
  echo "generated $pack in ${s}s: $(tail -1 "$dir/last.out")"
}

row() { printf '%-8s %-9s %9s %9s %9s %9s %9s %9s\n' "$@"; }

row records step seconds peakMiB openssl ratio cp-r ratio
for n in "${sizes[@]}"; do
  mb=$(( n * ${ATTACH_MB_PER_1K:-2} / 1000 )); [ "$mb" -ge 1 ] || mb=1
  pack="$dir/pack-$n-${mb}mb-$genver"
  generate "$pack" --evidence "$n" --attachments-mb "$mb" >&2
  # Baseline: hash every input byte once with openssl (page cache warm for both).
  find "$pack" -type f -print0 | xargs -0 cat >/dev/null
  read -r base _ < <(measure baseline sh -c "find '$pack' -type f -print0 | xargs -0 openssl dgst -sha256")
  rm -rf "$dir/copy-$n"
  read -r copy _ < <(measure cp-r cp -r "$pack" "$dir/copy-$n")
  rm -rf "$dir/copy-$n"
  out="$dir/out-$n"; rm -rf "$out"
  check_s=; check_cpu=
  for step in ${STEPS:-check build verify}; do
    case $step in
      check)  cmd=("$bin" --content "$pack" check) ;;
      build)  cmd=("$bin" --content "$pack" --out "$out" build) ;;
      verify) cmd=("$bin" verify "$out") ;;
    esac
    if read -r s m c < <(measure "$step" "${cmd[@]}"); then
      row "$n" "$step" "$s" "$m" "$base" "$(ratio "$s" "$base")" "$copy" "$(ratio "$s" "$copy")"
      [ "$step" = check ] && check_s=$s && check_cpu=$c
    fi
  done
  rm -rf "$out"

  [ -n "${SOURCE_ROWS:-}" ] || continue
  # Each export alone, then both: the pack's check with the source(s), and the source's own
  # time (that minus check without them). Best of ROUNDS runs each, alternating with check
  # without sources, so a busy moment on a shared machine does not decide a figure.
  for kinds in csv jira-csv csv,jira-csv; do
    spack="$dir/pack-$n-${mb}mb-src$SOURCE_ROWS-${kinds//,/+}-$genver"
    generate "$spack" --evidence "$n" --attachments-mb "$mb" --source-rows "$SOURCE_ROWS" \
      --source-kinds "$kinds" --declare-sources >&2
    # Page cache warm for this pack too, as for the one without sources: else the ratio times
    # the disk reading 1 GB of exports, not evidencepack.
    find "$spack" -type f -print0 | xargs -0 cat >/dev/null
    best_s=; best_c=; best_m=; plain_s=; plain_c=
    for _ in $(seq "${ROUNDS:-3}"); do
      if ! read -r s m c < <(measure check+src "$bin" --content "$spack" check 2>/dev/null); then
        if grep -q 'unknown field `sources`' "$dir/last.out" "$dir/last.err"; then
          echo "check+src: this evidencepack does not accept \`sources:\` in pack.yaml yet (issue 11); nothing measured for $spack"
        else
          echo "check+src: check found errors in $spack (see $dir/last.out)"
        fi
        continue 2
      fi
      if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then
        best_s=$s; best_m=$m; best_c=$c
      fi
      read -r s _ c < <(measure check "$bin" --content "$pack" check)
      if [ -z "$plain_s" ] || awk -v a="$s" -v b="$plain_s" 'BEGIN { exit !(a < b) }'; then
        plain_s=$s; plain_c=$c
      fi
    done
    row "$n" "+${kinds}" "$best_s" "$best_m" "$base" "$(ratio "$best_s" "$base")" "$copy" "$(ratio "$best_s" "$copy")"
    own_s=$(awk -v a="$best_s" -v b="$plain_s" 'BEGIN { printf "%.2f", a - b }')
    own_c=$(awk -v a="$best_c" -v b="$plain_c" 'BEGIN { printf "%.2f", a - b }')
    # CPU time as well as wall time: on a shared machine the wall time is mostly waiting.
    echo "$SOURCE_ROWS-row ${kinds//,/ and } source(s): check takes $best_s s against $plain_s s without ($(ratio "$best_s" "$plain_s")); the source's own time is $own_s s wall, $(ratio "$own_s" "$plain_s") of check without it ($own_c s CPU, $(ratio "$own_c" "$plain_c")); issue 11 allows 3x"
  done
done
