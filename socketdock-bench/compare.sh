#!/usr/bin/env bash
# SocketDock vs Pushpin on the same http round trip, in one run on one machine:
# client -> relay -> HTTP backend -> back to the client. SocketDock's backend POSTs each message to
# meta.send; Pushpin (WebSocket-over-HTTP, its cheapest path) gets it echoed in the HTTP answer.
# The two alternate for --rounds rounds; the ratio of the median throughputs is printed at the end
# and written to socketdock-bench/results/compare.{json,md}.
#
#   socketdock-bench/compare.sh                     # 64 connections, 1 KiB, 3 rounds of 20 s + 20 s warm-up
#   socketdock-bench/compare.sh --connections 16 --rounds 5 --duration 30
#
# Needs: Java 17+, and the Debian packages pushpin and zurl (installed with apt-get if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pushpin >/dev/null || ! command -v zurl >/dev/null; then
  echo "installing the Debian packages pushpin and zurl" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q pushpin zurl
fi

JAR=socketdock-bench/target/socketdock-bench.jar
if [ ! -f "$JAR" ] || [ -n "$(find socketdock-core/src socketdock-bench/src -newer "$JAR" -type f -print -quit)" ]; then
  ./mvnw -B -q -pl socketdock-bench -am package -DskipTests
fi

exec java -jar "$JAR" run --scenarios compare --name compare "$@"
