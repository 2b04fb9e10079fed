#!/usr/bin/env bash
# What embedding costs, in one run: the calls across the Java/wasm boundary (BoundaryBenchmark, JMH: ns per call
# beside a bare Panama downcall and upcall, then bytes allocated per call with JMH's GC profiler) and what the
# interruption polls cost on the call workloads and the kernels (PollCost: with polls / without, alternating slices
# in one JVM).
#
#   scripts/embedding-bench.sh            (~7 min: JMH 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement; 48 pairs of
#                                          100 ms slices per workload over 8 code layouts per side)
#   scripts/embedding-bench.sh --no-build (reuse bench/target/benchmarks.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
if [ "${1:-}" != --no-build ]; then
  flock /tmp/isthmus-mvn.lock ./mvnw -B -q -ntp -o -f bench/pom.xml package
fi
jar=bench/target/benchmarks.jar
log=$(mktemp --suffix=.log)
echo "== calls across the boundary (BoundaryBenchmark; ns/op)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" BoundaryBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s \
  > "$log" 2>&1 || { tail -n 20 "$log" >&2; exit 1; }
if grep -q 'Exception' "$log"; then
  echo "some benchmarks failed (JMH log $log):" >&2
  grep -m 5 'Exception' "$log" >&2
  exit 1
fi
grep -E '^BoundaryBenchmark\.[A-Za-z0-9]+ ' "$log"
# allocation in a run of its own: JMH's GC profiler slows upcalls down (~13 ns per host call here)
echo "== bytes allocated per call (the same, with -prof gc: gc.alloc.rate.norm in B/op)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" BoundaryBenchmark -f 1 -wi 1 -w 1s -i 2 -r 1s \
  -prof gc > "$log" 2>&1 || { tail -n 20 "$log" >&2; exit 1; }
grep -E '^BoundaryBenchmark\.[A-Za-z0-9]+:gc\.alloc\.rate\.norm ' "$log"
echo
echo "== safepoint polls (PollCost; CPU time per call with polls / without)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" dev.isthmus.bench.PollCost 48 100 \
  sieve,matmul,quicksort,keccak,chacha20,hashmap,brif-loops,csv 8   # 8 code layouts per side (PairedCost)
rm -f "$log"
