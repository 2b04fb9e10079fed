#!/usr/bin/env bash
# Cold compile time of one module, isthmus beside V8: each measurement in a fresh process, around the
# compile call alone (JVM/node start excluded), rounds interleaved, medians in milliseconds.
#
#   bench/startup/compile-times.sh [--rounds N] [--jar PATH] [MODULE.wasm]
#
# MODULE defaults to the yosys module of bench/startup/fetch.sh. Measured:
#   isthmus optimizing, isthmus baseline   scripts/codefile-bench.java compile MODULE [baseline]
#                                          (Isthmus.compile: decode, validate, compile every function)
#   node lazy (node 20's default)          node-compile.mjs: WebAssembly.compile, validation only
#   node eager Liftoff                     the same with --no-wasm-lazy-compilation
#   node eager Liftoff, no tier-up         the same with --no-wasm-lazy-compilation --liftoff --no-wasm-tier-up
# Every command runs under nice -n 10.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=3
jar=$repo/target/isthmus.jar
module=
while (($#)); do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        --jar) jar=$2; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "compile-times.sh: unknown option $1 (--help)" >&2; exit 2 ;;
        *) module=$1; shift ;;
    esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "compile-times.sh: --rounds takes a positive number" >&2; exit 2; }
. "$repo/scripts/java-home.sh"
[[ -n $module ]] || module=$("$here/fetch.sh" 2>/dev/null)
if [[ ! -f $jar ]]; then
    (cd "$repo" && flock /tmp/isthmus-mvn.lock ./mvnw -q -o -B package -DskipTests)
fi

isthmus() {  # TIER: prints the milliseconds of one compile in a fresh JVM
    local line
    line=$(nice -n 10 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" \
        "$repo/scripts/codefile-bench.java" compile "$module" "$1")
    [[ $line =~ ^compile\ ([0-9]+) ]] || { echo "compile-times.sh: isthmus said: $line" >&2; exit 1; }
    echo "${BASH_REMATCH[1]}"
}
v8() {  # node options: prints the milliseconds of one WebAssembly.compile in a fresh node
    local line
    line=$(nice -n 10 node "$@" "$here/node-compile.mjs" "$module")
    [[ $line =~ ^compile\ ([0-9]+) ]] || { echo "compile-times.sh: node said: $line" >&2; exit 1; }
    echo "${BASH_REMATCH[1]}"
}

echo "module: $module ($(stat -c %s "$module") bytes)"
echo "node $(node --version); $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1); $(nproc) cores; load average$(uptime | sed 's/.*load average//')"
declare -a opt base lazy eager liftoff
for ((r = 1; r <= rounds; r++)); do
    opt+=("$(isthmus optimizing)")
    base+=("$(isthmus baseline)")
    lazy+=("$(v8)")
    eager+=("$(v8 --no-wasm-lazy-compilation)")
    liftoff+=("$(v8 --no-wasm-lazy-compilation --liftoff --no-wasm-tier-up)")
    echo "round $r: isthmus optimizing ${opt[-1]}, baseline ${base[-1]}; node lazy ${lazy[-1]}, eager ${eager[-1]}," \
         "eager Liftoff only ${liftoff[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
report() { local label=$1; shift; printf '%-40s median %8s ms   (%s)\n' "$label" "$(median "$@")" "$*"; }
echo "medians over $rounds rounds (milliseconds, the compile call alone):"
report "isthmus optimizing" "${opt[@]}"
report "isthmus baseline" "${base[@]}"
report "node (lazy: validation only)" "${lazy[@]}"
report "node --no-wasm-lazy-compilation" "${eager[@]}"
report "node eager, --liftoff --no-wasm-tier-up" "${liftoff[@]}"
echo "load average at the end$(uptime | sed 's/.*load average//')"
