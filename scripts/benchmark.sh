#!/usr/bin/env bash
# Load the API on 127.0.0.1 with wrk and time the chart computation itself.
#
# Starts `python -m ephemeris_api` on a free loopback port, runs wrk against POST
# /v1/natal-chart and GET /v1/health (the framework's ceiling), prints requests/s and
# p50/p99 latency for each, then per-chart compute time against the bare pyswisseph calls.
# Every run is bounded: DURATION seconds per wrk run, and the server is stopped on exit.
#
# Settings (environment): DURATION (10s), THREADS (2), CONNECTIONS (32), WORKERS (2),
# PYTHON (.venv/bin/python), EPHEMERIS_PATH (/usr/share/libswe/ephe).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${DURATION:-10s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"
workers="${WORKERS:-2}"
python="${PYTHON:-$root/.venv/bin/python}"
ephemeris_path="${EPHEMERIS_PATH:-/usr/share/libswe/ephe}"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
log="$(mktemp)"

HOST=127.0.0.1 PORT="$port" WORKERS="$workers" LOG_LEVEL=warning LOG_FORMAT=json \
  EPHEMERIS_PATH="$ephemeris_path" PYTHONPATH="$root/app" \
  "$python" -m ephemeris_api >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "$base/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$base/v1/health" >/dev/null || { echo "API did not start:" >&2; cat "$log" >&2; exit 1; }

# Prints "<label>: N req/s, p50 X, p99 Y" from wrk's --latency report.
summarise() {
  local label="$1" report="$2"
  local rps p50 p99
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$report")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$report")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$report")"
  printf '%-22s %10s req/s   p50 %-9s p99 %s\n' "$label" "$rps" "$p50" "$p99"
  grep -E 'Non-2xx|Socket errors' <<<"$report" || true
}

echo "wrk: $threads threads, $connections connections, $duration per run, $workers workers"
chart="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency \
  -s "$root/app/benchmarks/natal_chart.lua" "$base/v1/natal-chart")"
summarise "POST /v1/natal-chart" "$chart"
health="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$base/v1/health")"
summarise "GET /v1/health" "$health"

echo "compute time per natal chart (one core, no HTTP):"
PYTHONPATH="$root/app" "$python" -m benchmarks.compute_timing "$ephemeris_path"
