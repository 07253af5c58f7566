#!/usr/bin/env bash
# Rerunnable benchmark of beadpool's three performance goals (docs/benchmarks.md):
#   (a) `beadpool import` of 100,000 beads / 200,000 edges in under 15 s
#   (b) `beadpool ready --db` in under 2 s, JVM start included (a cold process each run)
#   (c) the incremental engine update after a close costs the same within 2x on 1k and 100k beads
# Every figure is also given as a ratio against a baseline measured in the same run: the median
# start of a bare `java -jar cli/target/beadpool.jar --version`.
# Exits 0 when every goal passes, 1 when one fails, 2 when the run itself went wrong.
#
# Knobs (environment): BENCH_BEADS (size of the file for (a) and (b), default 100000),
# BENCH_SEED, BENCH_JAVA_OPTS (for the in-process benchmark), BENCH_KEEP=1 keeps the temp dir with
# the generated file and the store.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

beads="${BENCH_BEADS:-100000}"
seed="${BENCH_SEED:-20260214}"
bench_java_opts="${BENCH_JAVA_OPTS:--Xms2g -Xmx2g}"
baseline_runs=5
import_runs=3
ready_runs=5
import_goal_s=15
ready_goal_s=2
ratio_goal=2

die() {
  echo "bench: $*" >&2
  exit 2
}

# median of integers given as arguments
median() {
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%d\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# timed OUT ERR CMD...: runs CMD with stdout to OUT and stderr to ERR; sets elapsed (ns)
timed() {
  local out=$1 err=$2 start end
  shift 2
  start=$(date +%s%N)
  if ! "$@" >"$out" 2>"$err"; then
    echo "bench: command failed: $*" >&2
    [ "$err" != /dev/null ] && cat "$err" >&2
    exit 2
  fi
  end=$(date +%s%N)
  elapsed=$((end - start))
}

secs() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }

echo "== build: ./mvnw -B -q -DskipTests install"
./mvnw -B -q -DskipTests install
jar="$root/cli/target/beadpool.jar"
[ -f "$jar" ] || die "no $jar after the build"
bench_jar="$(ls bench/target/beadpool-bench-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n 1)"
[ -n "$bench_jar" ] || die "no bench jar after the build"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/beadpool-bench.XXXXXX")"
if [ "${BENCH_KEEP:-}" = "1" ]; then
  echo "bench: keeping $tmp"
else
  trap 'rm -rf "$tmp"' EXIT
fi

./mvnw -B -q -pl bench dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$tmp/classpath.txt" >/dev/null
classpath="$bench_jar:$(cat "$tmp/classpath.txt")"

# why: the launcher rebuilds when sources are newer than the jar; the jar was just built, and a
# rebuild inside a timed run (someone editing a file meanwhile) would spoil the figure
export BEADPOOL_SKIP_BUILD=1
if [ -n "${BEADPOOL_JAVA_OPTS:-}" ]; then
  echo "bench: note: BEADPOOL_JAVA_OPTS is set ($BEADPOOL_JAVA_OPTS) and applies to the CLI runs"
fi

echo "== machine"
cpu_model="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
echo "cores: $(nproc), cpu: ${cpu_model:-unknown}, memory: $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo unknown)"
java -version 2>&1 | head -n 1
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"

echo "== generate: $beads beads, $((2 * beads)) edges, seed $seed"
file="$tmp/issues-$beads.jsonl"
java -cp "$classpath" dev.beadpool.bench.GraphGenerator --beads "$beads" --out "$file" --seed "$seed"

echo "== baseline: java -jar cli/target/beadpool.jar --version ($baseline_runs runs)"
times=()
for _ in $(seq "$baseline_runs"); do
  timed /dev/null "$tmp/baseline.err" java -jar "$jar" --version
  times+=("$elapsed")
done
baseline_ns="$(median "${times[@]}")"
echo "runs (ns): ${times[*]} -> median $(secs "$baseline_ns") s"

echo "== launcher start: ./beadpool --version ($baseline_runs runs, for reference)"
times=()
for _ in $(seq "$baseline_runs"); do
  timed /dev/null "$tmp/launcher.err" ./beadpool --version
  times+=("$elapsed")
done
launcher_ns="$(median "${times[@]}")"
echo "runs (ns): ${times[*]} -> median $(secs "$launcher_ns") s"

echo "== (a) import: ./beadpool import --db STORE FILE ($import_runs runs, fresh store each)"
times=()
db=""
for i in $(seq "$import_runs"); do
  [ -n "$db" ] && rm -rf "$(dirname "$db")"
  db="$tmp/store-$i/beads.db"
  mkdir -p "$(dirname "$db")"
  timed "$tmp/import.out" "$tmp/import.err" ./beadpool import --db "$db" "$file"
  times+=("$elapsed")
  grep -q "^Import complete: $beads created, 0 updated, 0 unchanged, 0 stale, 0 invalid lines, 0 skipped edges" \
    "$tmp/import.out" || {
    cat "$tmp/import.out" "$tmp/import.err" >&2
    die "import did not report $beads created and nothing skipped"
  }
done
import_ns="$(median "${times[@]}")"
echo "$(cat "$tmp/import.out")"
echo "runs (ns): ${times[*]} -> median $(secs "$import_ns") s"

echo "== (b) ready: ./beadpool ready --db STORE --json --limit 100 ($ready_runs cold runs)"
times=()
for _ in $(seq "$ready_runs"); do
  timed /dev/null "$tmp/ready.err" ./beadpool ready --db "$db" --json --limit 100
  times+=("$elapsed")
done
ready_ns="$(median "${times[@]}")"
echo "runs (ns): ${times[*]} -> median $(secs "$ready_ns") s"

# sanity, untimed: the store's answer is 100 beads and the same as evaluating the file directly
./beadpool ready --db "$db" --json --limit 100 >"$tmp/ready-db.json"
./beadpool ready --file "$file" --json --limit 100 >"$tmp/ready-file.json"
ids() { grep -o '^    "id" *: *"[^"]*"' "$1"; }
ready_count="$(ids "$tmp/ready-db.json" | wc -l | tr -d ' ')"
if [ "$ready_count" != 100 ]; then
  die "ready --db returned $ready_count beads, expected 100"
fi
if ! cmp -s <(ids "$tmp/ready-db.json") <(ids "$tmp/ready-file.json"); then
  die "ready --db and ready --file disagree on the same data"
fi
echo "sanity: ready --db returns 100 beads, the same ones in the same order as ready --file"

echo "== (c) incremental: IncrementalBenchmark (1,000 vs 100,000 beads, in one JVM)"
inc_rc=0
# shellcheck disable=SC2086 # word splitting of the JVM options is intended
java $bench_java_opts -cp "$classpath" dev.beadpool.bench.IncrementalBenchmark --seed "$seed" \
  | tee "$tmp/incremental.out" || inc_rc=$?
result="$(grep '^RESULT ' "$tmp/incremental.out" || true)"
[ -n "$result" ] || die "IncrementalBenchmark printed no RESULT line (exit $inc_rc)"
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
small_ns="$(field small_median_ns)"
large_ns="$(field large_median_ns)"
inc_ratio="$(field ratio)"
warm_ratio="$(field warm_ratio)"
cold_small_ns="$(field cold_small_ns)"
cold_large_ns="$(field cold_large_ns)"
build_ms="$(field build_ms)"
build_equiv="$(field build_equiv_updates)"
consistent="$(field consistent)"
[ "$consistent" = true ] || die "the engine's answer after the updates differs from a fresh build"

# ---- results ------------------------------------------------------------------------------------
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v < g) ? "PASS" : "FAIL" }'; }
verdict_le() { awk -v v="$1" -v g="$2" 'BEGIN { print (v <= g) ? "PASS" : "FAIL" }'; }
x_base() { awk -v ns="$1" -v b="$baseline_ns" 'BEGIN { printf (ns / b >= 0.01) ? "%.2fx" : "%.1ex", ns / b }'; }

import_s="$(secs "$import_ns")"
ready_s="$(secs "$ready_ns")"
a_result="$(verdict "$import_s" "$import_goal_s")"
b_result="$(verdict "$ready_s" "$ready_goal_s")"
c_result="$(verdict_le "$inc_ratio" "$ratio_goal")"
small_s="$(awk -v ns="$small_ns" 'BEGIN { printf "%.1e", ns / 1e9 }')"
large_s="$(awk -v ns="$large_ns" 'BEGIN { printf "%.1e", ns / 1e9 }')"
build_s="$(awk -v ms="$build_ms" 'BEGIN { printf "%.3f", ms / 1e3 }')"
build_ns="$(awk -v ms="$build_ms" 'BEGIN { printf "%d", ms * 1e6 }')"

echo
echo "== results ($beads beads, $((2 * beads)) edges; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%M:%SZ))"
row() { printf '| %-47s | %12s | %12s | %-22s | %-6s |\n' "$@"; }
row "figure" "seconds" "x JVM start" "goal" "result"
row "-----------------------------------------------" "------------" "------------" "----------------------" "------"
row "baseline: java -jar beadpool.jar --version" "$(secs "$baseline_ns")" "1.00x" "(baseline)" ""
row "launcher: ./beadpool --version" "$(secs "$launcher_ns")" "$(x_base "$launcher_ns")" "(reference)" ""
row "(a) import, median of $import_runs, fresh store each" "$import_s" "$(x_base "$import_ns")" "< $import_goal_s s" "$a_result"
row "(b) ready --db --json --limit 100, cold JVM" "$ready_s" "$(x_base "$ready_ns")" "< $ready_goal_s s" "$b_result"
row "(c) put after a close, 1,000 beads, cold caches" "$(awk -v ns="$cold_small_ns" 'BEGIN { printf "%.1e", ns / 1e9 }')" "$(x_base "$cold_small_ns")" "" ""
row "(c) put after a close, 100,000 beads, cold" "$(awk -v ns="$cold_large_ns" 'BEGIN { printf "%.1e", ns / 1e9 }')" "$(x_base "$cold_large_ns")" "" ""
row "(c) ratio 100,000 / 1,000 beads, cold caches" "" "" "<= ${ratio_goal}x, got ${inc_ratio}x" "$c_result"
row "    warm, random beads, 1,000 (not the goal)" "$small_s" "$(x_base "$small_ns")" "" ""
row "    warm, random beads, 100,000 (not the goal)" "$large_s" "$(x_base "$large_ns")" "ratio ${warm_ratio}x" ""
row "full ReadyEngine.build, 100,000 beads" "$build_s" "$(x_base "$build_ns")" "= $build_equiv updates" ""
echo

failed=()
[ "$a_result" = PASS ] || failed+=("(a) import ${import_s} s >= ${import_goal_s} s")
[ "$b_result" = PASS ] || failed+=("(b) ready ${ready_s} s >= ${ready_goal_s} s")
[ "$c_result" = PASS ] || failed+=("(c) incremental ratio ${inc_ratio} > ${ratio_goal}")
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED goals:"
  printf '  %s\n' "${failed[@]}"
  exit 1
fi
echo "All goals pass."
