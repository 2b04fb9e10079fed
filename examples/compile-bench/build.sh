#!/usr/bin/env bash
# Builds big.wasm for CompileBenchmark: generate.py writes a large varied C program (big.c, not committed:
# regenerate it with this script), clang-14 -O2 compiles it to wasm32 without libc, exporting every function so
# nothing is dropped. Prints the code-section size (the benchmark's MB/s divides by it).
set -euo pipefail
cd "$(dirname "$0")"
python3 generate.py "${1:-800}" 20251124 > big.c
clang-14 --target=wasm32 -O2 -w -nostdlib -Wl,--no-entry -Wl,--export-all -o big.wasm big.c
echo "big.c: $(stat -c %s big.c) bytes; big.wasm: $(stat -c %s big.wasm) bytes"
wasm-objdump -h big.wasm | grep -E 'Code|Type|Function'
