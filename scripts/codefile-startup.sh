#!/usr/bin/env bash
# Whole-process time of `isthmus run hello.wasm` against `isthmus run hello.ism` (a code file: no compilation),
# with `java -version` beside them: N rounds (default 10), the three commands interleaved in each round, medians
# in milliseconds. docs/performance.md, "Code files", has the numbers.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/scripts/java-home.sh"
rounds="${1:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/isthmus" run "$here/examples/hello/hello.wasm" >/dev/null            # builds the jar and AOT cache if needed
"$here/isthmus" compile "$here/examples/hello/hello.wasm" -o "$work/hello.ism"
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
declare -a wasm ism ver
for ((i = 0; i < rounds; i++)); do
  wasm+=("$(ms "$here/isthmus" run "$here/examples/hello/hello.wasm")")
  ism+=("$(ms "$here/isthmus" run "$work/hello.ism")")
  ver+=("$(ms "$JAVA_HOME/bin/java" -version)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "isthmus run hello.wasm: median $(median "${wasm[@]}") ms  (${wasm[*]})"
echo "isthmus run hello.ism:  median $(median "${ism[@]}") ms  (${ism[*]})"
echo "java -version:          median $(median "${ver[@]}") ms  (${ver[*]})"
