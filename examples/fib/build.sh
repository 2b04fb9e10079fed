#!/usr/bin/env bash
# Builds fib.wasm from fib.c (clang-14, wasm32, -O3, no libc) and its listing fib.listing.wat. fib.wasm is committed,
# so tests and benchmarks never need clang. The native baselines are built by bench/native/build.sh.
set -euo pipefail
cd "$(dirname "$0")"
clang-14 --target=wasm32 -O3 -nostdlib -Wl,--no-entry -Wl,--export=fib -o fib.wasm fib.c
wasm2wat fib.wasm > fib.listing.wat
grep -q 'call ' fib.listing.wat || { echo "fib.wasm: no calls left in the listing" >&2; exit 1; }
echo "built fib.wasm ($(stat -c %s fib.wasm) bytes)"
