#!/usr/bin/env bash
# Overload (issue 7's overload target), reproducibly:
#   bench/http/overload.sh [OUT_DIR]
# A deployment of the compute-heavy demo package with one instance, max_concurrent_requests_per_instance
# 2 and request_timeout_ms 5000 (so more than 4 requests in flight get 429). First its sustainable rate
# (closed loop at concurrency 2), then an open loop at FACTOR (10) times that rate for DURATION (10) s;
# then the readiness probe and the server's memory. KIND is image (default: a 512² gray PNG) or text.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
factor="${FACTOR:-10}" duration="${DURATION:-10}" port="${PORT:-5127}" kind="${KIND:-image}"

[ -d "$out/demo/medimageinsight-heavy" ] || "$root/medserve" demo --packages-only "$out/demo" --compute-heavy > /dev/null
python3 - "$out/request.json" "$kind" <<'PY'
import base64, json, struct, sys, zlib
path, kind = sys.argv[1], sys.argv[2]
if kind == "text":
    json.dump({"input_data": {"columns": ["text"], "data": [["x-ray chest anteroposterior Atelectasis."]]}}, open(path, "w"))
    sys.exit(0)
side = 512
rows = b"".join(b"\x00" + bytes((x + y) * 255 // (2 * side - 2) for x in range(side)) for y in range(side))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
json.dump({"input_data": {"columns": ["image"], "data": [[base64.b64encode(png).decode()]]}}, open(path, "w"))
PY
printf 'name: heavy\nauth_mode: key\ntraffic: {blue: 100}\n' > "$out/ep.yml"
printf 'name: blue\nendpoint_name: heavy\nmodel: {path: %s}\ninstance_count: 1\nrequest_settings: {request_timeout_ms: 5000, max_concurrent_requests_per_instance: 2}\n' \
  "$out/demo/medimageinsight-heavy" > "$out/blue.yml"
admin="bench-admin-$(date +%s%N)"
printf '{"port": %s, "admin_key": "%s", "endpoints": ["ep.yml"], "deployments": ["blue.yml"]}\n' "$port" "$admin" > "$out/server.json"
"$root/medserve" serve --config "$out/server.json" > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/v2/health/ready" > /dev/null && break; sleep 0.5; done
export MEDSERVE_URL="http://127.0.0.1:$port" MEDSERVE_ADMIN_KEY="$admin"
key="$("$root/medserve" endpoint get-credentials heavy | python3 -c 'import json, sys; print(json.load(sys.stdin)["primaryKey"])')"
url="http://127.0.0.1:$port/endpoints/heavy/score"
rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %.1f MB  ", $1, $2 / 1024}' "/proc/$server/status"; echo; }
echo "server before: $(rss)"
"$root/medserve" bench --url "$url" --key "$key" --request-file "$out/request.json" --concurrency 2 --duration "$duration" --warmup 10 \
  --json-out "$out/sustainable.json" > "$out/sustainable.txt" 2>&1
rate=$(python3 -c "import json; print(round(json.load(open('$out/sustainable.json'))['throughput_rps'] * $factor, 1))")
"$root/medserve" bench --url "$url" --key "$key" --request-file "$out/request.json" --mode open --rate "$rate" --duration "$duration" \
  --max-outstanding 5000 --json-out "$out/overload.json" > "$out/overload.txt" 2>&1 || true
ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/health/ready")
echo "server after:  $(rss)"
python3 - "$out" "$rate" "$ready" <<'PY'
import json, sys
out, rate, ready = sys.argv[1], sys.argv[2], sys.argv[3]
s, o = (json.load(open(f"{out}/{n}.json")) for n in ("sustainable", "overload"))
print(f"sustainable: {s['throughput_rps']:.1f} req/s (p50 {s['latency_ms']['p50']:.1f} ms, p99 {s['latency_ms']['p99']:.1f} ms)")
print(f"open loop at {rate} req/s: statuses {o['status_counts']}, transport errors {o['transport_errors']}, timeouts {o['timeouts']}, dropped {o['dropped']}")
for status, l in sorted(o["latency_ms_by_status"].items()) if "latency_ms_by_status" in o else []:
    print(f"  {status}: p50 {l['p50']:.1f}  p95 {l['p95']:.1f}  p99 {l['p99']:.1f}  max {l['max']:.1f} ms")
print(f"ready after: {ready}")
PY
