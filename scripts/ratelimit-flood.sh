#!/usr/bin/env bash
# Bounded flood over the rate limit, with /readyz polled throughout: shows that a client hammering the API gets
# 429s while the service stays responsive. Local only (127.0.0.1), bounded in time (default 20 s of flood).
#
#   ./mvnw -B package -DskipTests && scripts/ratelimit-flood.sh
#
# Needs wrk (Debian package "wrk"), curl, and a JDK 21+ (JAVA_HOME, or Temurin 25 at the usual Debian path).
# Settings (environment): PORT (18310), MANAGEMENT_PORT (18311), DURATION seconds of flood (20, at most 30),
# CONNECTIONS (32), BASELINE seconds of polling without load (10), POLL_INTERVAL seconds (0.1),
# RATELIMIT=off to run the same flood with the limiter switched off (the comparison: every request reaches the
# database).
# It starts its own instance (profile "local": embedded database, development key, default limits 100 reads/s)
# and stops it again by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-18310}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-18311}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
BASELINE="${BASELINE:-10}"
POLL_INTERVAL="${POLL_INTERVAL:-0.1}"
RATELIMIT="${RATELIMIT:-on}"
KEY="dev-key-change-me"
BASE="http://127.0.0.1:${PORT}"
if (( DURATION > 30 )); then echo "DURATION is capped at 30 s" >&2; exit 2; fi
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[[ -x "$JAVA" ]] || JAVA=java
JAR=""
for candidate in target/service-template-*.jar; do
	[[ -f "$candidate" && "$candidate" != *-plain.jar ]] && JAR="$candidate" && break
done
[[ -n "$JAR" ]] || { echo "No jar in target/: run ./mvnw -B package -DskipTests first" >&2; exit 2; }

WORK="$(mktemp -d)"
APP_PID=""
cleanup() {
	if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

enabled=true
[[ "$RATELIMIT" == off ]] && enabled=false
echo "Starting $JAR on 127.0.0.1:$PORT (management $MANAGEMENT_PORT), profile local, rate limiting $RATELIMIT"
"$JAVA" -jar "$JAR" --spring.profiles.active=local --server.address=127.0.0.1 --server.port="$PORT" \
	--management.server.address=127.0.0.1 --management.server.port="$MANAGEMENT_PORT" \
	--app.ratelimit.enabled="$enabled" \
	--logging.level.root=WARN >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
	curl -fs -o /dev/null "$BASE/readyz" && break
	kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log"; exit 1; }
	sleep 0.5
done
curl -fs -o /dev/null "$BASE/readyz" || { echo "Not ready after 60 s" >&2; exit 1; }
# Warm up the API path (JIT, first H2 query) so the baseline is not the cold start.
for _ in $(seq 1 50); do curl -s -o /dev/null -H "X-API-Key: $KEY" "$BASE/api/v1/orders"; done
sleep 1

# poll SECONDS FILE: GET /readyz every POLL_INTERVAL, one "status seconds" line per poll.
poll() {
	local end=$((SECONDS + $1))
	while (( SECONDS < end )); do
		curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}\n' "$BASE/readyz" >>"$2" || echo "000 5" >>"$2"
		sleep "$POLL_INTERVAL"
	done
}
# summary FILE: count, non-200 count, p50, p99 and max in milliseconds.
summary() {
	awk '{ print $2 * 1000 }' "$1" | sort -n | awk -v bad="$(awk '$1 != "200"' "$1" | wc -l)" '
		{ v[NR] = $1 }
		END { p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1];
			printf "%d polls, %d not 200, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", NR, bad, p50, p99, v[NR] }'
}
counter() {
	curl -s "http://127.0.0.1:${MANAGEMENT_PORT}/actuator/prometheus" |
		awk -v o="$1" 'BEGIN { n = 0 } /^ratelimit_requests_total\{/ && $0 ~ "outcome=\"" o "\"" && $0 ~ "policy=\"default\"" { n = $2 } END { print n }'
}

echo "Baseline: polling /readyz for ${BASELINE} s without load"
poll "$BASELINE" "$WORK/baseline.txt"

allowed_before="$(counter allowed)"; rejected_before="$(counter rejected)"
echo "Flood: wrk -t2 -c${CONNECTIONS} -d${DURATION}s GET /api/v1/orders with one API key (limit 100/s), polling /readyz"
poll "$DURATION" "$WORK/flood.txt" &
POLL_PID=$!
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "X-API-Key: $KEY" "$BASE/api/v1/orders" >"$WORK/wrk.txt"
wait "$POLL_PID"
allowed="$(awk -v a="$(counter allowed)" -v b="$allowed_before" 'BEGIN { printf "%d", a - b }')"
rejected="$(awk -v a="$(counter rejected)" -v b="$rejected_before" 'BEGIN { printf "%d", a - b }')"

echo
echo "== wrk"
grep -E 'requests in|Requests/sec|Non-2xx|Socket errors|50%|99%' "$WORK/wrk.txt" | sed 's/^ */  /'
echo "== rate limiter (ratelimit_requests_total, policy default, during the flood)"
echo "  allowed $allowed, rejected (429) $rejected, allowed per second $(awk -v a="$allowed" -v d="$DURATION" 'BEGIN { printf "%.1f", a / d }')"
echo "== /readyz (curl every ${POLL_INTERVAL} s)"
echo "  idle:  $(summary "$WORK/baseline.txt")"
echo "  flood: $(summary "$WORK/flood.txt")"
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared with the load generator)"
