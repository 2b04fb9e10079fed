#!/usr/bin/env bash
# The kernel suite (bench/kernels/, README.md there): Isthmus (default options) vs the same C natively by gcc -O3
# and clang-14 -O3, ratios to gcc -O3 (lower is better), checksums compared on every run.
#
#   scripts/kernel-bench.sh                  quick mode: one JMH run of KernelBenchmark (1 fork, short iterations),
#                                            one line per kernel "kernel isthmus/gcc clang/gcc checksum ok" plus
#                                            how many functions the optimizing tier leaves to the baseline tier,
#                                            and the geometric mean (~4 min)
#   scripts/kernel-bench.sh --full [DIR]     JMH's full settings (3 x 1 s warm-up, 5 x 1 s measurement); writes
#                                            DIR/kernels.json, kernels.md (table) and kernels.svg (chart);
#                                            DIR defaults to bench/kernels/results
#   scripts/kernel-bench.sh --process [N]    whole-process mode: ./isthmus run KERNEL.wasm vs the native
#                                            executables, median of N runs (default 5), at each kernel's process size
#   scripts/kernel-bench.sh --cpu [PAIRS]    CPU-time mode (NativeRatio): each kernel against gcc -O3 (the -simd
#                                            builds against gcc -O3 -march=x86-64-v2) as the median ratio of CPU
#                                            time per call over PAIRS alternating slices (default 10) in one JVM;
#                                            steadier than wall time on a shared machine. KERNELS=a,b limits it
#   ... -p kernel=csv,keccak                 extra arguments go to JMH (quick and full modes), e.g. a subset
#   ... --no-build                           reuse bench/target/benchmarks.jar and the native builds
#
# The native builds are made here (bench/kernels/build.sh --native: gcc, clang-14, installed with apt-get when
# missing and run as root); the wasm modules are the committed ones.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
mode=quick
build=1
out=bench/kernels/results
runs=5
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) mode=full; if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then out="$2"; shift; fi ;;
    --cpu) mode=cpu; if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+$ ]]; then runs="$2"; shift; else runs=10; fi ;;
    --process) mode=process; if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+$ ]]; then runs="$2"; shift; fi ;;
    --no-build) build=0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  stale=0
  for src in bench/kernels/src/*.c bench/kernels/src/kernel.h bench/kernels/kernels.tsv; do
    [ -n "$(find bench/kernels/build/gcc -maxdepth 0 -newer "$src" 2>/dev/null)" ] || stale=1
  done
  [ "$stale" = 0 ] || bench/kernels/build.sh --native
fi

if [ "$mode" = process ]; then
  [ "$build" = 0 ] || [ -f target/isthmus.jar ] || ./isthmus help > /dev/null
  exec python3 bench/chart/kernel_process.py --runs "$runs" ${args[@]+"${args[@]}"}
fi

if [ "$build" = 1 ]; then
  flock /tmp/isthmus-mvn.lock ./mvnw -B -q -ntp -o -f bench/pom.xml package
fi
jar=bench/target/benchmarks.jar
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)

if [ "$mode" = cpu ]; then
  all=$(awk '!/^#/ && NF {print $1}' bench/kernels/kernels.tsv)
  [ -z "${KERNELS:-}" ] || all=$(tr ',' '\n' <<< "$KERNELS")
  specs=$(for k in $all; do case "$k" in *-simd) echo "$k@gcc-v2" ;; *) echo "$k@gcc" ;; esac; done | paste -sd,)
  exec "${java[@]}" -cp "$jar" dev.isthmus.bench.NativeRatio "$runs" 200 "$specs"
fi

if [ "$mode" = quick ]; then
  json="${QUICK_JSON:-$(mktemp --suffix=.json)}"
  jmh=(-f 1 -wi 2 -w 500ms -i 3 -r 500ms)
else
  mkdir -p "$out"
  json="$out/kernels.json"
  jmh=()
fi
fallbacks="${json%.json}.fallbacks.txt"
"${java[@]}" -cp "$jar" dev.isthmus.bench.KernelFallbacks > "$fallbacks"
# another JMH run holds /tmp/jmh.lock: wait for it (up to KERNEL_BENCH_WAIT seconds, default 600) rather than run
# beside it; KERNEL_BENCH_WAIT=0 runs beside it at once (-Djmh.ignoreLock=true; the numbers then share the machine)
waited=0
lock=()
while :; do
  if "${java[@]}" ${lock[@]+"${lock[@]}"} -jar "$jar" '\.KernelBenchmark\.' ${jmh[@]+"${jmh[@]}"} ${args[@]+"${args[@]}"} \
      -rf json -rff "$json" > "${json%.json}.log" 2>&1; then
    break
  fi
  grep -q 'Unable to acquire the JMH lock' "${json%.json}.log" || { tail -n 5 "${json%.json}.log" >&2; exit 1; }
  if [ "$waited" -ge "${KERNEL_BENCH_WAIT:-600}" ]; then
    echo "another JMH run still holds /tmp/jmh.lock after ${waited}s: running beside it (-Djmh.ignoreLock=true)" >&2
    lock=(-Djmh.ignoreLock=true)
    continue
  fi
  [ "$waited" -gt 0 ] || echo "another JMH run holds /tmp/jmh.lock; waiting (up to ${KERNEL_BENCH_WAIT:-600}s)" >&2
  sleep 2
  waited=$((waited + 2))
done
status=0
python3 bench/chart/kernel_ratios.py --fallbacks "$fallbacks" "$json" || status=$?
if grep -q 'Exception' "${json%.json}.log"; then   # a failed @Setup (e.g. a checksum mismatch) drops that kernel
  echo "some benchmarks failed (JMH log ${json%.json}.log):" >&2
  grep -m 5 'Exception' "${json%.json}.log" >&2
  status=1
fi
if [ "$mode" = full ]; then
  python3 bench/chart/kernel_ratios.py --fallbacks "$fallbacks" --markdown "$json" > "$out/kernels.md" || true
  python3 bench/chart/kernel_ratios.py --fallbacks "$fallbacks" --svg "$out/kernels.svg" "$json" > /dev/null || true
  echo "wrote $json, $out/kernels.md, $out/kernels.svg"
elif [ -z "${QUICK_JSON:-}" ]; then
  rm -f "$json" "${json%.json}.log" "$fallbacks"
fi
exit "$status"
