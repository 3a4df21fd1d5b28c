#!/usr/bin/env bash
# HTTP overhead against the in-process ceiling (issue 7's first target), reproducibly:
#   bench/http/overhead.sh [OUT_DIR]
# Builds the demo packages, runs the in-process bench, starts `serve` on a free port, runs the HTTP
# bench against it, and reads the server's CPU time (utime + stime from /proc) before and after.
# Settings come from the environment: CONCURRENCY (8), DURATION (10 s), WARMUP (500), PORT (5123),
# REQUEST (a file; default the one-row MedImageInsight text request), PACKAGE (medimageinsight, the
# demo package; medimageinsight-heavy for the compute-heavy one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
concurrency="${CONCURRENCY:-8}" duration="${DURATION:-10}" warmup="${WARMUP:-500}" port="${PORT:-5123}"
ms() { "$root/medserve" "$@"; }

package="${PACKAGE:-medimageinsight}"
[ -d "$out/demo/medimageinsight-heavy" ] || ms demo --packages-only "$out/demo" --compute-heavy > /dev/null
request="${REQUEST:-$out/text.json}"
[ -f "$request" ] || printf '%s' '{"input_data": {"columns": ["text"], "data": [["x-ray chest anteroposterior Atelectasis."]]}}' > "$request"

# The in-process run's CPU (user + sys of the whole process: package load and warm-up included).
TIMEFORMAT='%U %S'
{ time "$root/medserve" bench --in-process --model "$out/demo/$package" --request-file "$request" \
  --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" --json-out "$out/inproc.json" > "$out/inproc.txt" 2> "$out/inproc.err" ; } 2> "$out/inproc.cpu"

key="bench-key-$(date +%s%N)"
"$root/medserve" serve "$out/demo/$package" --port "$port" --primary-key "$key" > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/v2/health/ready" > /dev/null && break; sleep 0.5; done
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(ticks)
{ time "$root/medserve" bench --url "http://127.0.0.1:$port/score" --key "$key" --request-file "$request" \
  --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" --json-out "$out/http.json" > "$out/http.txt" 2> "$out/http.err" ; } 2> "$out/http.cpu"
after=$(ticks)
hz=$(getconf CLK_TCK)
python3 - "$out" "$before" "$after" "$hz" "$warmup" <<'PY'
import json, sys
out, before, after, hz, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
inproc_cpu = sum(float(v) for v in open(f"{out}/inproc.cpu").read().split())
client_cpu = sum(float(v) for v in open(f"{out}/http.cpu").read().split())
inproc, http = (json.load(open(f"{out}/{n}.json")) for n in ("inproc", "http"))
total = sum(http["status_counts"].values()) + warmup
cpu_ms = (after - before) * 1000 / hz / total
inproc_total = sum(inproc["status_counts"].values()) + warmup
print(f"in process {inproc['throughput_rps']:.0f} req/s  p50 {inproc['latency_ms']['p50']:.2f} ms  process CPU {inproc_cpu * 1000 / inproc_total:.3f} ms/request")
print(f"HTTP       {http['throughput_rps']:.0f} req/s  p50 {http['latency_ms']['p50']:.2f} ms  p99 {http['latency_ms']['p99']:.2f} ms  statuses {http['status_counts']}")
print(f"ratio      {100 * http['throughput_rps'] / inproc['throughput_rps']:.0f} %   server CPU {cpu_ms:.3f} ms/request, load generator CPU {client_cpu * 1000 / total:.3f} ms/request")
PY
