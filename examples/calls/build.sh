#!/usr/bin/env bash
# Builds calls.wasm from calls.c (clang-14, wasm32, -O3, no libc) and its listing calls.listing.wat. calls.wasm is
# committed, so tests and benchmarks never need clang. The native baselines are built by bench/native/build.sh.
# Compiles and links in two steps: when wasm-opt (binaryen) is on PATH, the clang driver runs it after linking,
# and it inlines the tiny noinline functions this workload is about; wasm-ld alone keeps every call.
set -euo pipefail
cd "$(dirname "$0")"
clang-14 --target=wasm32 -O3 -c -o calls.o calls.c
wasm-ld-14 --no-entry --export=calls -o calls.wasm calls.o
rm calls.o
wasm2wat calls.wasm > calls.listing.wat
test "$(grep -c 'call ' calls.listing.wat)" -ge 4 || { echo "calls.wasm: the four calls were not kept" >&2; exit 1; }
echo "built calls.wasm ($(stat -c %s calls.wasm) bytes)"
