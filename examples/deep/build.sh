#!/usr/bin/env bash
# Builds deep.wasm from deep.c (clang-14, wasm32, -O3, no libc) and its listing deep.listing.wat. deep.wasm is committed,
# so tests and benchmarks never need clang. The native baselines are built by bench/native/build.sh.
set -euo pipefail
cd "$(dirname "$0")"
clang-14 --target=wasm32 -O3 -nostdlib -Wl,--no-entry -Wl,--export=deep -o deep.wasm deep.c
wasm2wat deep.wasm > deep.listing.wat
grep -q 'call ' deep.listing.wat || { echo "deep.wasm: no calls left in the listing" >&2; exit 1; }
echo "built deep.wasm ($(stat -c %s deep.wasm) bytes)"
