#!/usr/bin/env bash
# Makes the shapes corpus (src/test/resources/fuzz/shapes-corpus): modules of the shapes binaryen's -ttf rarely
# generates (dev.isthmus.fuzz.ShapeGenerator: memory.grow to and past the maximum, accesses at the end of memory,
# large br_tables, deep and tail recursion, call_indirect at the end of a table, division and truncation edges),
# each with the reference interpreter's output:
#
#   ShapeGenerator seed NNNN --> NNNN.wasm --wasm-opt FEATURES --fuzz-exec-before--> NNNN.expected
#
# Modules are skipped when the interpreter fails, takes over FUZZ_TIMEOUT (60) s, reports a host limit or calls
# nothing. Usage: scripts/fuzz/make-shapes-corpus.sh [COUNT [FIRST_SEED]] (default 200 from seed 0; existing files
# are kept). Needs binaryen 132 (scripts/fuzz/binaryen.sh, ISTHMUS_TOOLS) and a Maven build (FUZZ_MVN_LOCK as in
# campaign.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-200}
first=${2:-0}
out=src/test/resources/fuzz/shapes-corpus
wasm_opt=$(scripts/fuzz/binaryen.sh)
. scripts/java-home.sh
mvn=(./mvnw); [[ -n ${FUZZ_MVN_LOCK:-} ]] && mvn=(flock "$FUZZ_MVN_LOCK" ./mvnw)
"${mvn[@]}" -q -o -B test-compile >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${mvn[@]}" -q -o -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$tmp/cp.txt" >&2
read -r -a features <<< "$("$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat "$tmp/cp.txt")" \
  dev.isthmus.fuzz.ShapeGenerator --features)"
mkdir -p "$out"
made=$(find "$out" -name '*.wasm' | wc -l)
seed=$first
while (( made < count )); do
  batch=$(( (count - made) * 5 / 4 + 5 ))
  "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat "$tmp/cp.txt")" dev.isthmus.fuzz.ShapeGenerator \
    "$tmp/gen" "$seed" "$batch"
  for (( s = seed; s < seed + batch && made < count; s++ )); do
    name=$(printf '%04d' "$s")
    [[ -f "$out/$name.wasm" ]] && continue
    if ! timeout "${FUZZ_TIMEOUT:-60}" node --liftoff-only "$wasm_opt" "$tmp/gen/$name.wasm" "${features[@]}" \
         --fuzz-exec-before 2>/dev/null > "$tmp/out.txt"; then
      echo "skip $name: interpreter failed or timed out" >&2; continue
    fi
    grep -v '^warning:' "$tmp/out.txt" > "$tmp/expected.txt" || true
    if grep -q -e '^\[host limit' "$tmp/expected.txt"; then echo "skip $name: host limit" >&2; continue; fi
    grep -q '^\[fuzz-exec\] export' "$tmp/expected.txt" || { echo "skip $name: nothing called" >&2; continue; }
    cp "$tmp/gen/$name.wasm" "$out/$name.wasm"
    cp "$tmp/expected.txt" "$out/$name.expected"
    made=$((made + 1))
  done
  seed=$((seed + batch))
done
echo "$made modules in $out"
