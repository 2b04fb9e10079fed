#!/usr/bin/env bash
# Builds src/kernels.c for wasm32 and wasm64 (memory64): wasm/kernels-wasm32.wasm, wasm/kernels-wasm64.wasm
# (committed; the benchmark and the tests use these and never need clang). Needs clang-14 and wasm-ld-14
# (apt-get install clang-14 lld-14). Freestanding: -nostdlib, no entry point, the exports of kernels.c.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p wasm
for target in wasm32 wasm64; do
  clang-14 --target="$target" -O3 -nostdlib -Wl,--no-entry -o "wasm/kernels-$target.wasm" src/kernels.c
done
ls -l wasm
