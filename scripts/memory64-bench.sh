#!/usr/bin/env bash
# The cost of memory64's bounds checks (docs/performance.md, "memory64"): bench/memory64's kernels built for wasm32
# and wasm64 (committed .wasm; bench/memory64/build.sh rebuilds them with clang-14), CPU time per call of the
# memory64 build over the memory32 one, in alternating slices in one JVM (dev.isthmus.bench.Memory64Ratio).
#
#   scripts/memory64-bench.sh [PAIRS] [KERNEL@N,...] [ALIGN]   defaults: 20 pairs, matmul@200,heapsort@20000,
#                                                          the default code alignment (ALIGN e.g. 64+16:32)
#   ... --no-build                                         reuse bench/target/benchmarks.jar
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
build=1
args=()
for a in "$@"; do
  if [ "$a" = --no-build ]; then build=0; else args+=("$a"); fi
done
pairs="${args[0]:-20}"
kernels="${args[1]:-matmul@200,heapsort@20000}"
if [ "$build" = 1 ]; then
  flock /tmp/isthmus-mvn.lock ./mvnw -B -q -ntp -o -f bench/pom.xml package
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
  dev.isthmus.bench.Memory64Ratio "$pairs" 200 "$kernels" ${args[2]:+"${args[2]}"}
