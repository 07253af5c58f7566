#!/usr/bin/env bash
# The worker pool's goals (docs/benchmarks.md): raw JMS request/reply vs beads through beadpool,
# and dispatch latency, against one embedded broker in one run. Exit 0 if both goals hold.
#   bash bench/pool.sh [BEADS] [CHAIN] [ROUNDS] [CODE_CHAIN]      (defaults 600 100 3 50)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests install
cp="$(mktemp)"
trap 'rm -f "$cp"' EXIT
./mvnw -B -q -pl bench dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$cp" >/dev/null
java ${BENCH_JAVA_OPTS:-} -cp "bench/target/beadpool-bench-0.1.0-SNAPSHOT.jar:$(cat "$cp")" \
  dev.beadpool.bench.PoolBenchmark "${1:-600}" "${2:-100}" "${3:-3}" "${4:-50}"
