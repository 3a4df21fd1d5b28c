#!/usr/bin/env bash
# Peak memory of consecutive large MedImageInsight requests (issue 7's memory target), reproducibly:
#   bench/memory/large-requests.sh [OUT_DIR]
# Builds the demo packages, writes a one-row request holding a SIDE × SIDE RGB PNG of random pixels
# (4800 → a 92.2 MB body), starts `serve` and sends LARGE large requests one after the other with
# SMALL text requests between each two. Before each large request the server's peak resident set
# (VmHWM) is reset (`echo 5 > /proc/PID/clear_refs`); after it, VmHWM and VmRSS are read from
# /proc/PID/status. Prints, per large request, the peak over the idle server and its ratio to the body,
# then the resident set after SETTLE seconds of idleness.
# With STEADY=N, N more text requests follow (`medserve bench`, concurrency 8), in 5 rounds, and the
# resident set is printed after each round: steady-state memory after the large requests.
# Settings come from the environment: LARGE (5), SMALL (0), SIDE (4800), SETTLE (5 s), STEADY (0), PORT (5125),
# SERVER_ENV (extra variables for the server, e.g. "DOTNET_GCgen0size=0x4000000").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
large="${LARGE:-5}" small="${SMALL:-0}" side="${SIDE:-4800}" settle="${SETTLE:-5}" port="${PORT:-5125}"

"$root/medserve" --help > /dev/null # builds the CLI when a source changed, before anything is timed
[ -d "$out/demo/medimageinsight" ] || "$root/medserve" demo --packages-only "$out/demo" > /dev/null
big="$out/large-$side.json"
warm="$out/small-image.json"
write_request() { # SIDE FILE: a one-row image request of a SIDE × SIDE RGB PNG of random pixels
  python3 - "$1" "$2" <<'PY'
import base64, os, struct, sys, zlib
side, path = int(sys.argv[1]), sys.argv[2]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
rows = b"".join(b"\0" + os.urandom(side * 3) for _ in range(side))  # filter 0, random RGB samples
idat = zlib.compress(rows, 1)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
png += b"".join(chunk(b"IDAT", idat[i:i + 65536]) for i in range(0, len(idat), 65536)) + chunk(b"IEND", b"")
with open(path, "wb") as f:
    f.write(b'{"input_data": {"columns": ["image"], "index": [0], "data": [["')
    f.write(base64.b64encode(png))
    f.write(b'"]]}}')
PY
}
[ -f "$big" ] || write_request "$side" "$big"
[ -f "$warm" ] || write_request 256 "$warm"
text="$out/text.json"
printf '%s' '{"input_data": {"columns": ["text"], "data": [["x-ray chest anteroposterior Atelectasis."]]}}' > "$text"
body=$(stat -c %s "$big")

key="bench-key-$(date +%s%N)"
# shellcheck disable=SC2086 # SERVER_ENV is a list of NAME=VALUE words
env ${SERVER_ENV:-} "$root/medserve" serve "$out/demo/medimageinsight" --port "$port" --primary-key "$key" \
  --max-body-bytes $((body + 1048576)) > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/v2/health/ready" > /dev/null && break; sleep 0.5; done
url="http://127.0.0.1:$port/score"
post() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary "@$1" "$url"; }
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$server/status"; }
mb() { awk -v x="$1" 'BEGIN {printf "%.1f", x / 1024}'; }

# Warm: JIT, pools and both sessions, with a small image and a text.
post "$warm" > /dev/null
post "$text" > /dev/null
sleep 1
idle=$(kb VmRSS)
printf 'server pid %s, body %s bytes (%.1f MB), idle RSS %s MiB, load average %s\n' "$server" "$body" "$(awk -v b="$body" 'BEGIN {print b / 1e6}')" "$(mb "$idle")" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-6s %8s %12s %12s %14s %8s\n' request status seconds 'VmHWM MiB' 'VmRSS MiB' 'peak-idle MiB' ratio
worst=0
for i in $(seq 1 "$large"); do
  if [ "$i" -gt 1 ]; then
    for _ in $(seq 1 "$small"); do post "$text" > /dev/null; done
  fi
  echo 5 > "/proc/$server/clear_refs"
  read -r status seconds < <(post "$big")
  hwm=$(kb VmHWM) rss=$(kb VmRSS)
  over=$((hwm - idle))
  [ "$over" -gt "$worst" ] && worst=$over
  printf '%-8s %-6s %8s %12s %12s %14s %8s\n' "large $i" "$status" "$seconds" "$(mb "$hwm")" "$(mb "$rss")" "$(mb "$over")" \
    "$(awk -v o="$over" -v b="$body" 'BEGIN {printf "%.2f", o * 1024 / b}')"
done
sleep "$settle"
printf 'after %s s idle: RSS %s MiB (idle before: %s MiB); worst peak over idle %s MiB = %s x the body; load average %s\n' \
  "$settle" "$(mb "$(kb VmRSS)")" "$(mb "$idle")" "$(mb "$worst")" "$(awk -v o="$worst" -v b="$body" 'BEGIN {printf "%.2f", o * 1024 / b}')" "$(cut -d' ' -f1-3 /proc/loadavg)"
steady="${STEADY:-0}"
if [ "$steady" -gt 0 ]; then
  for round in 1 2 3 4 5; do
    "$root/medserve" bench --url "$url" --key "$key" --request-file "$text" --concurrency 8 --requests $((steady / 5)) > "$out/steady-$round.txt" 2>&1
    printf 'after %s more text requests: RSS %s MiB\n' $((round * steady / 5)) "$(mb "$(kb VmRSS)")"
  done
fi
