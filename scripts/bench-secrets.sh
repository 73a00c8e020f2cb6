#!/usr/bin/env bash
# Secret-guard throughput: `evidencepack check` on a pack whose attachments are ~1 GB of ordinary,
# secret-free logs (web access logs, JSON application logs, sshd and sudo lines, CI output, Java
# stack traces, Kubernetes events, audit lines that talk about tokens, keys and passwords without
# holding one), for this checkout's binary and for a baseline binary, in alternating runs, with the
# ratio new/old of each pair and of the medians. `check` reads each attachment only to scan it, so
# the time is the guard's (plus reading the files from the page cache). Nothing here is part of the
# test suite.
#
# The logs are generated here, deterministically (a fixed-seed generator in awk, no downloads), so
# every run and every machine scans the same bytes.
#
# Usage: scripts/bench-secrets.sh [BASELINE_BINARY]
#        (default: the stop-8 release 81672ef, built in a temporary git worktree)
# Env:   RUNS (default 5 pairs), LOG_MB (default 1024), BENCH_DIR (default /tmp/evidencepack-bench-secrets)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${RUNS:-5}
log_mb=${LOG_MB:-1024}
dir=${BENCH_DIR:-/tmp/evidencepack-bench-secrets}
mkdir -p "$dir"

cargo build --release --locked --quiet
new="$dir/evidencepack-new"
cp target/release/evidencepack "$new"

old=${1:-}
if [ -z "$old" ]; then
  old="$dir/evidencepack-81672ef"
  if [ ! -x "$old" ]; then
    tree=$(mktemp -d "$dir/baseline-XXXXXX")
    git worktree add --quiet --detach "$tree" 81672ef
    (cd "$tree" && CARGO_TARGET_DIR="$dir/baseline-target" cargo build --release --locked --quiet)
    cp "$dir/baseline-target/release/evidencepack" "$old"
    git worktree remove --force "$tree"
    rm -rf "$dir/baseline-target"
  fi
fi
[ -x "$old" ] || { echo "baseline binary $old is not executable" >&2; exit 2; }

# The pack: the small valid fixture as it was at the first release (81672ef; later versions use
# fields that release refuses, and both binaries must check the same pack cleanly), plus 64 MiB
# log files under attachments/bench/ (a file under attachments/ is scanned whether or not a record
# names it).
pack="$dir/pack-$log_mb"
if [ ! -f "$pack/.complete" ]; then
  rm -rf "$pack"
  mkdir -p "$pack"
  git archive 81672ef tests/fixtures/check/valid | tar -x -C "$pack" --strip-components=4
  mkdir -p "$pack/attachments/bench"
  files=$(( (log_mb + 63) / 64 ))
  for ((i = 1; i <= files; i++)); do
    awk -v seed="$i" -v bytes=$((64 << 20)) -f - >"$pack/attachments/bench/app-$i.log" <<'AWK'
# Park-Miller generator: exact in awk's doubles, so mawk and gawk write the same bytes.
function rnd(n) { x = (x * 16807) % 2147483647; return int(x / 2147483647 * n) }
function pick(a, n) { return a[rnd(n) + 1] }
function hex(len,   s) { s = ""; while (length(s) < len) s = s substr(HEX, rnd(16) + 1, 1); return s }
function b64(len,   s) { s = ""; while (length(s) < len) s = s substr(B64, rnd(64) + 1, 1); return s }
function pad(v) { return v < 10 ? "0" v : v }
BEGIN {
  x = seed * 7919 + 17
  HEX = "0123456789abcdef"
  B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  # Pools of identifiers, drawn once: request ids, commits, digests, IPs.
  for (i = 1; i <= 512; i++) {
    uuid[i] = hex(8) "-" hex(4) "-4" hex(3) "-a" hex(3) "-" hex(12)
    sha1[i] = hex(40); sha256[i] = hex(64); sshfp[i] = b64(43)
    ip[i] = "10." rnd(256) "." rnd(256) "." rnd(256)
  }
  split("GET GET GET GET POST PUT DELETE PATCH", meth, " ")
  split("/api/v1/orders /api/v1/orders/export /api/v2/customers /health /login /logout /static/app.js /api/v1/invoices /api/v1/users/me /oauth/token /api/v1/tokens/rotate /metrics", path, " ")
  split("200 200 200 200 201 204 301 302 304 400 401 403 404 429 500 503", status, " ")
  split("info info info info debug warn error", level, " ")
  split("billing checkout identity search gateway scheduler exporter notifier", svc, " ")
  split("invoice created|payment captured|customer updated|cache miss for key customer:42|session started|session expired, user must sign in again|token refreshed for client web (expires_in=3600)|password policy check passed|api key rotation scheduled for next window|rate limit reached for tenant eu-west|retrying request after timeout|secret store unreachable, using cached config|authorization header missing on request|user consent recorded|export finished: 1200 rows", msg, "|")
  split("alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent victor walter", user, " ")
  split("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36|curl/8.5.0|python-requests/2.31.0|Go-http-client/1.1|kube-probe/1.29", agent, "|")
  split("Step 1/9 : FROM registry.northwind.example/base:2026.03|Step 4/9 : RUN npm ci --no-audit --prefer-offline|Step 6/9 : COPY --chown=app:app . /srv/app|Running cargo test --locked (412 tests)|test result: ok. 412 passed; 0 failed|Uploading artifact coverage.xml (2.1 MB)|Fetching secrets from the vault agent sidecar: 4 keys mounted|Pushing image registry.northwind.example/api:1.4.2", ci, "|")
  split("com.northwind.billing.InvoiceService.create(InvoiceService.java:123)|com.northwind.billing.web.InvoiceController.post(InvoiceController.java:88)|org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)|java.base/java.lang.Thread.run(Thread.java:1583)", frame, "|")
  split("Scheduled|Pulling|Pulled|Created|Started|Killing|BackOff|Unhealthy", reason, "|")
  written = 0; t = 0
  while (written < bytes) {
    t += rnd(3)
    h = int(t / 3600) % 24; m = int(t / 60) % 60; s = t % 60
    ts = "2026-03-" pad(1 + int(t / 86400) % 28) "T" pad(h) ":" pad(m) ":" pad(s) "." rnd(1000) "Z"
    k = rnd(20)
    if (k < 6) {
      line = pick(ip, 512) " - - [" pad(1 + int(t / 86400) % 28) "/Mar/2026:" pad(h) ":" pad(m) ":" pad(s) " +0000] \"" pick(meth, 8) " " pick(path, 12) "?page=" rnd(40) "&request_id=" pick(uuid, 512) " HTTP/1.1\" " pick(status, 16) " " rnd(90000) " \"-\" \"" pick(agent, 5) "\" rt=0." rnd(999)
    } else if (k < 11) {
      line = "{\"ts\":\"" ts "\",\"level\":\"" pick(level, 7) "\",\"service\":\"" pick(svc, 8) "\",\"msg\":\"" pick(msg, 15) "\",\"request_id\":\"" pick(uuid, 512) "\",\"user\":\"" pick(user, 16) "\",\"duration_ms\":" rnd(2000) "}"
    } else if (k < 13) {
      line = "Mar " pad(1 + int(t / 86400) % 28) " " pad(h) ":" pad(m) ":" pad(s) " web-" rnd(9) " sshd[" rnd(60000) "]: Accepted publickey for " pick(user, 16) " from " pick(ip, 512) " port " (1024 + rnd(60000)) " ssh2: ED25519 SHA256:" pick(sshfp, 512)
    } else if (k < 14) {
      line = "Mar " pad(1 + int(t / 86400) % 28) " " pad(h) ":" pad(m) ":" pad(s) " web-" rnd(9) " sudo[" rnd(60000) "]: " pick(user, 16) " : TTY=pts/" rnd(9) " ; PWD=/srv/app ; USER=root ; COMMAND=/usr/bin/systemctl restart api"
    } else if (k < 16) {
      line = ts " [build " rnd(9000) "] " pick(ci, 8) " (commit " pick(sha1, 512) ")"
    } else if (k < 17) {
      line = "\tat " pick(frame, 4)
    } else if (k < 18) {
      line = ts " " pick(reason, 8) " pod/api-" hex(5) "-" hex(5) " Successfully pulled image \"registry.northwind.example/api@sha256:" pick(sha256, 512) "\" in " rnd(9) "." rnd(99) "s"
    } else {
      line = ts " INFO audit: user=" pick(user, 16) " action=" pick(meth, 8) " resource=" pick(path, 12) " result=" pick(status, 16) " mfa=true session=" pick(uuid, 512)
    }
    print line
    written += length(line) + 1
  }
}
AWK
  done
  touch "$pack/.complete"
fi
bytes=$(du -sb "$pack/attachments/bench" | cut -f1)

time_check() { # binary: prints wall seconds and CPU seconds (user + system) of `check` on the pack
  local t; t=$(mktemp)
  local rc=0
  /usr/bin/time -f '%e %U %S' -o "$t" "$1" --content "$pack" check >/dev/null 2>"$dir/last.err" || rc=$?
  if [ "$rc" -ne 0 ]; then echo "$1 check exited $rc:" >&2; tail -5 "$dir/last.err" >&2; exit 1; fi
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$t"; rm -f "$t"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Warm the page cache, then alternate old and new so both see the same machine state. Wall time
# is what a user waits for; CPU time (user + system, summed over threads) is what the scan costs,
# and moves less when other work shares the machine.
cat "$pack"/attachments/bench/*.log >/dev/null
time_check "$old" >/dev/null
printf 'pack: %s (%s MB of logs); %s pairs of runs\n' "$pack" $((bytes / 1000000)) "$runs"
printf '%-4s %9s %9s %8s %9s %9s %8s\n' run old_wall new_wall new/old old_cpu new_cpu new/old
ow=(); nw=(); oc=(); nc=()
for ((r = 1; r <= runs; r++)); do
  read -r o_wall o_cpu < <(time_check "$old")
  read -r n_wall n_cpu < <(time_check "$new")
  ow+=("$o_wall"); nw+=("$n_wall"); oc+=("$o_cpu"); nc+=("$n_cpu")
  printf '%-4s %9s %9s %8s %9s %9s %8s\n' "$r" "$o_wall" "$n_wall" "$(ratio "$n_wall" "$o_wall")" \
    "$o_cpu" "$n_cpu" "$(ratio "$n_cpu" "$o_cpu")"
done
mow=$(median "${ow[@]}"); mnw=$(median "${nw[@]}"); moc=$(median "${oc[@]}"); mnc=$(median "${nc[@]}")
printf 'median wall: old %s s (%s MB/s), new %s s (%s MB/s), new/old %s\n' \
  "$mow" "$(awk -v b="$bytes" -v s="$mow" 'BEGIN { printf "%.0f", b / s / 1e6 }')" \
  "$mnw" "$(awk -v b="$bytes" -v s="$mnw" 'BEGIN { printf "%.0f", b / s / 1e6 }')" "$(ratio "$mnw" "$mow")"
printf 'median CPU:  old %s s, new %s s, new/old %s\n' "$moc" "$mnc" "$(ratio "$mnc" "$moc")"
