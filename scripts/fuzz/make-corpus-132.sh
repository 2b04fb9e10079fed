#!/usr/bin/env bash
# Generates a differential-testing corpus with binaryen 132 (installed by scripts/fuzz/binaryen.sh) for one feature
# profile of scripts/fuzz/profiles.tsv:
#
#   seed bytes (deterministic per index) --wasm-opt -ttf FLAGS [--initial-fuzz=INITIAL] --denan--> NNNN.wasm
#                                         --wasm-opt FLAGS --fuzz-exec-before--> NNNN.expected
#
# binaryen 132's output differs from 108's (scripts/fuzz/make-corpus.sh): each export, functions and globals, in
# export order, is announced by "[fuzz-exec] export NAME"; a global export logs its value; modules may import
# fuzzing-support.log-v128, call-export, call-export-catch and sleep besides log-i32/i64/f32/f64 (DifferentialRun
# implements them the way the reference interpreter does). NNNN.expected keeps the interpreter's output without
# wasm-opt's own "warning:" lines (a multi-value result prints its later values on lines of their own).
# Modules are skipped (and the index too) when the interpreter takes over FUZZ_TIMEOUT (60) s, prints more than 64 KB, reports a
# host limit, or calls nothing.
#
# A profile's optional fourth column names a .wat file of initial content (compiled once with the profile's flags),
# which -ttf keeps, mutates and calls: what the generator does not make by itself (e.g. memories other than 0).
#
# Usage: scripts/fuzz/make-corpus-132.sh PROFILE [COUNT [FIRST_INDEX]]   (default 300 modules from index 0;
# existing files are kept). FUZZ_CORPUS_DIR=/elsewhere overrides the profile's directory (a larger local corpus);
# FUZZ_SEED_MAX=120000 makes bigger modules.
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=${1:?usage: make-corpus-132.sh PROFILE [COUNT [FIRST_INDEX]]}
count=${2:-300}
first=${3:-0}
line=$(grep -v '^#' scripts/fuzz/profiles.tsv | awk -F'\t' -v p="$profile" '$1 == p')
[[ -n $line ]] || { echo "no profile $profile in scripts/fuzz/profiles.tsv" >&2; exit 2; }
out=${FUZZ_CORPUS_DIR:-$(echo "$line" | cut -f2)}
read -r -a features <<< "$(echo "$line" | cut -f3)"
initial=$(echo "$line" | cut -s -f4)
wasm_opt=$(scripts/fuzz/binaryen.sh)
# wasm-opt is binaryen compiled to wasm under node; V8's baseline compiler alone (--liftoff-only) halves its CPU time
opt=(node --liftoff-only "$wasm_opt")
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ttf=(-ttf)
if [[ -n $initial ]]; then
  "${opt[@]}" "$initial" "${features[@]}" -o "$tmp/initial.wasm"
  ttf+=("--initial-fuzz=$tmp/initial.wasm")
fi
made=$(find "$out" -name '*.wasm' | wc -l)
index=$first
while (( made < count )); do
  name=$(printf '%04d' "$index")
  index=$((index + 1))
  [[ -f "$out/$name.wasm" ]] && continue
  python3 -c "import random,sys; r=random.Random($index); sys.stdout.buffer.write(r.randbytes(r.randint(1000,${FUZZ_SEED_MAX:-16000})))" \
    > "$tmp/seed.bin"
  "${opt[@]}" "$tmp/seed.bin" "${ttf[@]}" "${features[@]}" --denan -o "$tmp/m.wasm" 2>/dev/null || continue
  if ! timeout "${FUZZ_TIMEOUT:-60}" "${opt[@]}" "$tmp/m.wasm" "${features[@]}" --fuzz-exec-before 2>/dev/null > "$tmp/out.txt"; then
    echo "skip $name: interpreter failed or timed out" >&2; continue
  fi
  grep -v '^warning:' "$tmp/out.txt" > "$tmp/expected.txt" || true
  if (( $(stat -c %s "$tmp/expected.txt") > 65536 )); then echo "skip $name: output too large" >&2; continue; fi
  if grep -q -e '^\[host limit' "$tmp/expected.txt"; then echo "skip $name: host limit" >&2; continue; fi
  grep -q '^\[fuzz-exec\] export' "$tmp/expected.txt" || { echo "skip $name: nothing called" >&2; continue; }
  cp "$tmp/m.wasm" "$out/$name.wasm"
  cp "$tmp/expected.txt" "$out/$name.expected"
  made=$((made + 1))
done
echo "corpus $profile: $made modules in $out, $(du -sh "$out" | cut -f1)"
