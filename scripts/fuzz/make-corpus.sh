#!/usr/bin/env bash
# Generates the differential-testing corpus in src/test/resources/fuzz/corpus/ with binaryen (wasm-opt, tested with
# version 108) and wabt (wasm-validate):
#
#   seed bytes (deterministic per index) --wasm-opt -ttf--> NNNN.wasm --wasm-opt --fuzz-exec-before--> NNNN.expected
#
# -ttf ("translate to fuzz") turns arbitrary bytes into a valid random module that imports fuzzing-support.log-*
# and exports functions, plus "hashMemory" and "hangLimitInitializer". Features are limited to what Isthmus
# supports (Wasm 2.0 without SIMD and reference types, plus tail calls): binaryen 108's reference-types mode uses
# typed function references and funcref <: externref, which Wasm 2.0 rejects. --denan makes every float-producing
# instruction turn NaN into 0, so results do not depend on NaN payloads, which the spec leaves nondeterministic.
# NNNN.expected keeps the reference interpreter's lines that start with '[' (calls, logged values, results, traps).
# Modules are dropped (and the index skipped) when wabt rejects them, when the interpreter takes over 10 s, prints
# more than 64 KB, or reports a host limit or an exception.
#
# Cross-check: node --experimental-wasm-type-reflection scripts/fuzz/check-with-node.mjs runs the corpus in V8 with
# the same rules as DifferentialTest (all 520 modules agree with binaryen's output).
#
# Usage: scripts/fuzz/make-corpus.sh [COUNT [FIRST_INDEX]]   (default 520 modules from index 0; existing files are
# kept, so the corpus can be extended by raising COUNT). FUZZ_CORPUS_DIR=/elsewhere writes a larger, uncommitted
# corpus; run DifferentialTest on it with -Disthmus.fuzz.corpus=/elsewhere. FUZZ_SEED_MAX=120000 makes bigger modules.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-520}
first=${2:-0}
out=${FUZZ_CORPUS_DIR:-src/test/resources/fuzz/corpus}
mkdir -p "$out"
features=(--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-bulk-memory
          --enable-multivalue --enable-tail-call)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
made=$(find "$out" -name '*.wasm' | wc -l)
index=$first
while (( made < count )); do
  name=$(printf '%04d' "$index")
  index=$((index + 1))
  [[ -f "$out/$name.wasm" ]] && continue
  # deterministic seed bytes: 1,000..FUZZ_SEED_MAX (default 16,000) bytes from a PRNG seeded with the index
  python3 -c "import random,sys; r=random.Random($index); sys.stdout.buffer.write(r.randbytes(r.randint(1000,${FUZZ_SEED_MAX:-16000})))" \
    > "$tmp/seed.bin"
  wasm-opt "$tmp/seed.bin" -ttf "${features[@]}" --denan -o "$tmp/m.wasm" 2>/dev/null || continue
  wasm-validate --enable-tail-call "$tmp/m.wasm" 2>/dev/null || { echo "skip $name: wabt rejects it" >&2; continue; }
  if ! timeout 10 wasm-opt "$tmp/m.wasm" "${features[@]}" --fuzz-exec-before 2>/dev/null > "$tmp/out.txt"; then
    echo "skip $name: interpreter failed or timed out" >&2; continue
  fi
  grep '^\[' "$tmp/out.txt" > "$tmp/expected.txt" || true
  if (( $(stat -c %s "$tmp/expected.txt") > 65536 )); then echo "skip $name: output too large" >&2; continue; fi
  if grep -q -e '^\[host limit' -e '^\[exception' "$tmp/expected.txt"; then echo "skip $name: host limit" >&2; continue; fi
  grep -q '^\[fuzz-exec\] calling' "$tmp/expected.txt" || { echo "skip $name: nothing called" >&2; continue; }
  cp "$tmp/m.wasm" "$out/$name.wasm"
  cp "$tmp/expected.txt" "$out/$name.expected"
  made=$((made + 1))
done
echo "corpus: $made modules, $(du -sh "$out" | cut -f1)"
