#!/usr/bin/env bash
# Quick mode of PrologueBenchmark (seconds, not minutes): one fork, 2 short warm-up and 3 short measurement
# iterations per benchmark, then one line per workload x variant with Isthmus's ratio to clang -O3 and gcc -O3
# native code (lower is better). Noisier than a full run (scripts/bench.sh PrologueBenchmark); for a quick look.
#
#   scripts/quick-bench.sh                    # build the benchmarks jar, run, print ratios
#   scripts/quick-bench.sh --no-build         # reuse bench/target/benchmarks.jar
#   QUICK_JSON=out.json scripts/quick-bench.sh   # keep JMH's JSON (default: a temporary file)
#   scripts/quick-bench.sh -p workload=fib    # extra arguments go to JMH
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
if [ "${1:-}" = "--no-build" ]; then
  shift
else
  flock /tmp/isthmus-mvn.lock ./mvnw -B -q -ntp -o -f bench/pom.xml package
fi
json="${QUICK_JSON:-$(mktemp --suffix=.json)}"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar PrologueBenchmark \
  -f 1 -wi 2 -w 300ms -i 3 -r 500ms -rf json -rff "$json" "$@" > "${json%.json}.log" 2>&1 \
  || { tail -n 5 "${json%.json}.log" >&2; exit 1; }   # e.g. another JMH run holds /tmp/jmh.lock
status=0
python3 bench/chart/ratios.py "$json" || status=$?
if grep -q 'Exception' "${json%.json}.log"; then   # a failed @Setup drops that workload: say so, fail
  echo "some benchmarks failed (JMH log ${json%.json}.log):" >&2
  grep -m 5 'Exception' "${json%.json}.log" >&2
  exit 1
fi
[ -n "${QUICK_JSON:-}" ] || rm -f "$json" "${json%.json}.log"
exit "$status"
