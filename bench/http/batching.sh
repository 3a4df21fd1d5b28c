#!/usr/bin/env bash
# Dynamic batching on vs off through HTTP (issue 7's batching target), reproducibly:
#   bench/http/batching.sh [OUT_DIR]
# One server, two endpoints on the compute-heavy demo package (≈ 101 MFLOP per text row, ≈ 98 MFLOP per
# image): heavy-on (the default batching block) and heavy-off (batching: {enabled: false}); otherwise
# the same deployment (one instance, 32 requests at once, 60 s timeout). Each is loaded with
# `medserve bench` in a closed loop of CONCURRENCY (16) one-row requests for DURATION (20) seconds after
# WARMUP (32) requests, off, on, off, on. KIND is text (default: a one-row text request) or image (a
# generated IMAGE_SIZE² gray gradient PNG, default 480).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(mkdir -p "${1:-$(mktemp -d)}" && cd "${1:-.}" && pwd)"
[ -n "${1:-}" ] || out="$(mktemp -d)"
kind="${KIND:-text}" concurrency="${CONCURRENCY:-16}" duration="${DURATION:-20}" warmup="${WARMUP:-32}" port="${PORT:-5126}" side="${IMAGE_SIZE:-480}"

[ -d "$out/demo/medimageinsight-heavy" ] || "$root/medserve" demo --packages-only "$out/demo" --compute-heavy > /dev/null
python3 - "$out/request.json" "$side" "$kind" <<'PY'
import base64, json, struct, sys, zlib
path, side, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if kind == "text":
    json.dump({"input_data": {"columns": ["text"], "data": [["x-ray chest anteroposterior Atelectasis."]]}}, open(path, "w"))
    sys.exit(0)
rows = b"".join(b"\x00" + bytes((x + y) * 255 // (2 * side - 2) for x in range(side)) for y in range(side))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
json.dump({"input_data": {"columns": ["image"], "data": [[base64.b64encode(png).decode()]]}}, open(path, "w"))
PY

for mode in on off; do
  enabled=true; [ "$mode" = off ] && enabled=false
  printf 'name: heavy-%s\nauth_mode: key\ntraffic: {blue: 100}\n' "$mode" > "$out/ep-$mode.yml"
  printf 'name: blue\nendpoint_name: heavy-%s\nmodel: {path: %s}\ninstance_count: 1\nrequest_settings: {request_timeout_ms: 60000, max_concurrent_requests_per_instance: 32}\nbatching: {enabled: %s}\n' \
    "$mode" "$out/demo/medimageinsight-heavy" "$enabled" > "$out/blue-$mode.yml"
done
admin="bench-admin-$(date +%s%N)"
printf '{"port": %s, "admin_key": "%s", "endpoints": ["ep-on.yml", "ep-off.yml"], "deployments": ["blue-on.yml", "blue-off.yml"]}\n' "$port" "$admin" > "$out/server.json"
"$root/medserve" serve --config "$out/server.json" > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/v2/health/ready" > /dev/null && break; sleep 0.5; done
export MEDSERVE_URL="http://127.0.0.1:$port" MEDSERVE_ADMIN_KEY="$admin"
key() { "$root/medserve" endpoint get-credentials "heavy-$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["primaryKey"])'; }
declare -A keys=([on]="$(key on)" [off]="$(key off)")
for run in off-1 on-1 off-2 on-2; do
  mode="${run%-*}"
  "$root/medserve" bench --url "http://127.0.0.1:$port/endpoints/heavy-$mode/score" --key "${keys[$mode]}" --request-file "$out/request.json" \
    --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" --json-out "$out/$run.json" > "$out/$run.txt" 2>&1
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
runs = {n: json.load(open(f"{out}/{n}.json")) for n in ("off-1", "on-1", "off-2", "on-2")}
for name, r in runs.items():
    l = r["latency_ms"]
    print(f"{name:6} {r['throughput_rps']:7.1f} req/s  p50 {l['p50']:7.1f}  p95 {l['p95']:7.1f}  p99 {l['p99']:7.1f}  max {l['max']:7.1f} ms  {r['status_counts']}")
for i in ("1", "2"):
    on, off = runs["on-" + i], runs["off-" + i]
    print(f"pair {i}: on/off throughput {on['throughput_rps'] / off['throughput_rps']:.2f}x; on p99 {on['latency_ms']['p99']:.1f} ms vs 2 x off p50 {2 * off['latency_ms']['p50']:.1f} ms")
PY
