#!/usr/bin/env bash
# Latency of `evidencepack serve`: from saving a policy to the served page showing the change.
# For each pack (the example pack in content/, then generated packs of the given sizes, seed 1,
# the same as scripts/bench.sh), serve a scratch copy on a free port, wait for the first build,
# then ROUNDS times: rewrite the first policy's title, and poll the policy's page (every 20 ms,
# with curl) until it shows the new title. Reported: the first build, then the median and the
# worst of the rounds, beside a plain `evidencepack build` of the same pack measured in the
# same run (the ratio). An open browser adds at most its poll interval (250 ms) and the page
# load to these figures. Nothing here is part of the test suite.
#
# Usage: scripts/bench-serve.sh [SIZES...]   (default: 100000; 0 for the example pack only)
# Env:   ROUNDS (default 5), ATTACH_MB_PER_1K (default 2), BENCH_DIR (default
#        /tmp/evidencepack-bench, shared with bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-serve.sh needs $tool"; exit 2; }
done
sizes=("${@:-100000}")
rounds=${ROUNDS:-5}
dir=${BENCH_DIR:-/tmp/evidencepack-bench}
mkdir -p "$dir"
cargo build --release --quiet --locked
bin=$PWD/target/release/evidencepack
gen=$PWD/target/release/examples/gen-pack
genver=$(find examples/gen-pack -name '*.rs' | sort | xargs cat | openssl dgst -sha256 -r | cut -c1-8)
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

bench() { # label, pack folder
  local label=$1 pack=$2
  local work; work=$(mktemp -d "$dir/serve-XXXXXX")
  # Hard links: cheap for 100,000 records; the policy edited below is rewritten as a new file.
  cp -al "$pack" "$work/content"
  local policy; policy=$(find "$work/content/policies" -name '*.md' | sort | head -1)
  local id; id=$(sed -n 's/^id: //p' "$policy" | head -1)
  local title; title=$(sed -n 's/^title: //p' "$policy" | head -1)

  local t0 t1
  t0=$(now)
  "$bin" --content "$work/content" --out "$work/dist" build >/dev/null 2>&1
  t1=$(now)
  local build; build=$(elapsed "$t0" "$t1")

  mkdir -p "$work/tmp"
  t0=$(now)
  TMPDIR="$work/tmp" "$bin" --content "$work/content" serve --port 0 >"$work/out.txt" 2>"$work/err.txt" &
  local pid=$!
  trap 'kill $pid 2>/dev/null; rm -rf "$work"' RETURN
  local url=""
  until [ -n "$url" ]; do url=$(grep -o 'http://[^ ]*' "$work/out.txt" || true); sleep 0.02; done
  until curl -sf "${url}__evidencepack/status" | grep -q '"generation":1'; do sleep 0.05; done
  t1=$(now)
  local first; first=$(elapsed "$t0" "$t1")

  local page="${url}iso27001/policies/$id.html"
  local times=()
  for r in $(seq 1 "$rounds"); do
    local new="$title (revision $r)"
    local text; text=$(sed "s/^title: .*/title: $new/" "$policy")
    t0=$(now)
    rm "$policy" && printf '%s\n' "$text" >"$policy"
    until curl -sf "$page" | grep -qF "$new"; do sleep 0.02; done
    t1=$(now)
    times+=("$(elapsed "$t0" "$t1")")
    sleep 0.5
  done
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local median; median=$(echo "$sorted" | sed -n "$(( (rounds + 1) / 2 ))p")
  local worst; worst=$(echo "$sorted" | tail -1)
  printf '%-22s build %7ss  serve first build %7ss  save->page median %6ss worst %6ss  (%s; median/build %s)\n' \
    "$label" "$build" "$first" "$median" "$worst" "$(echo "${times[*]}" | tr ' ' ',')" \
    "$(awk -v a="$median" -v b="$build" 'BEGIN { printf "%.2f", a / b }')"
}

echo "evidencepack serve latency, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
bench "example pack" content
for n in "${sizes[@]}"; do
  [ "$n" = 0 ] && continue
  mb=$(( n * ${ATTACH_MB_PER_1K:-2} / 1000 ))
  pack="$dir/pack-$n-${mb}mb-$genver"
  if [ ! -f "$pack/pack.yaml" ]; then
    rm -rf "$pack"
    cargo build --release --quiet --locked --example gen-pack
    "$gen" --out "$pack" --seed 1 --evidence "$n" --attachments-mb "$mb" >/dev/null
  fi
  bench "$n records" "$pack"
done
