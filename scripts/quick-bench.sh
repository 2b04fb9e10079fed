#!/usr/bin/env bash
# Quick mode of the prologue benchmarks (seconds, not minutes): one fork per benchmark, 1 short warm-up and 2 short
# measurement iterations, the default code layout, then one line per variant with Isthmus's ratio to clang -O3 and gcc -O3
# native code (lower is better). Noisier than the full run (docs/prologue-variants.md); for a quick look.
#
#   scripts/quick-bench.sh                       # ackermann, every variant (~20 s after the build)
#   scripts/quick-bench.sh --all                 # every workload (~1.5 min)
#   scripts/quick-bench.sh --no-build            # reuse bench/target/benchmarks.jar
#   QUICK_JSON=out.json scripts/quick-bench.sh   # keep JMH's JSON (default: a temporary file)
#   scripts/quick-bench.sh -p variant=probe/nofp -p workload=fib   # extra arguments go to JMH
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
build=1
workloads=(-p workload=ackermann)
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --all) workloads=() ;;
    -p) args+=("$a") ;;
    workload=*) workloads=(); args+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
if [ "$build" = 1 ]; then
  flock /tmp/isthmus-mvn.lock ./mvnw -B -q -ntp -o -f bench/pom.xml package
fi
json="${QUICK_JSON:-$(mktemp --suffix=.json)}"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar \
  'PrologueBenchmark|NativeBenchmark' -f 1 -wi 1 -w 200ms -i 2 -r 400ms -p alignment=default \
  ${workloads[@]+"${workloads[@]}"} ${args[@]+"${args[@]}"} -rf json -rff "$json" > "${json%.json}.log" 2>&1 \
  || { tail -n 5 "${json%.json}.log" >&2; exit 1; }   # e.g. another JMH run holds /tmp/jmh.lock
status=0
python3 bench/chart/ratios.py "$json" || status=$?
if grep -q 'Exception' "${json%.json}.log"; then   # a failed @Setup drops that benchmark: say so, fail
  echo "some benchmarks failed (JMH log ${json%.json}.log):" >&2
  grep -m 5 'Exception' "${json%.json}.log" >&2
  exit 1
fi
[ -n "${QUICK_JSON:-}" ] || rm -f "$json" "${json%.json}.log"
exit "$status"
