#!/usr/bin/env bash
# The SIMD kernels (bench/kernels/: bytesearch hash32 matmul4 matmulf blend hex dot16): Isthmus on the -msimd128
# build with AVX and without, Isthmus on the scalar build, and native gcc/clang -O3 at -march=x86-64-v2 and
# -march=native, in one JMH run (SimdKernelBenchmark); prints each side's time over gcc -O3 -march=x86-64-v2.
#
#   scripts/simd-bench.sh             quick: 1 fork, 2 x 0.5 s warm-up, 3 x 0.5 s measurement (~6 min)
#   scripts/simd-bench.sh --full DIR  JMH's full settings; writes DIR/simd.json and DIR/simd.md
#   ... extra arguments go to JMH (e.g. -p kernel=hex,dot16)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
mode=quick
out=bench/kernels/results
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) mode=full; if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then out="$2"; shift; fi ;;
    *) args+=("$1") ;;
  esac
  shift
done
stale=0
for src in bench/kernels/src/*.c bench/kernels/src/kernel.h bench/kernels/kernels.tsv; do
  [ -n "$(find bench/kernels/build/gcc-v2 -maxdepth 0 -newer "$src" 2>/dev/null)" ] || stale=1
done
[ "$stale" = 0 ] || bench/kernels/build.sh --native
flock /tmp/isthmus-mvn.lock ./mvnw -B -q -ntp -o -f bench/pom.xml package
jar=bench/target/benchmarks.jar
mkdir -p "$out"
if [ "$mode" = quick ]; then
  json="$out/simd-quick.json"
  jmh=(-f 1 -wi 2 -w 500ms -i 3 -r 500ms)
else
  json="$out/simd.json"
  jmh=()
fi
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" SimdKernelBenchmark ${jmh[@]+"${jmh[@]}"} \
  ${args[@]+"${args[@]}"} -rf json -rff "$json" > "${json%.json}.log" 2>&1 || { tail -n 20 "${json%.json}.log" >&2; exit 1; }
if grep -q 'Exception' "${json%.json}.log"; then
  echo "some benchmarks failed (JMH log ${json%.json}.log):" >&2
  grep -m 5 'Exception' "${json%.json}.log" >&2
  exit 1
fi
python3 bench/chart/simd_ratios.py "$json"
[ "$mode" = quick ] || python3 bench/chart/simd_ratios.py --markdown "$json" > "$out/simd.md"
