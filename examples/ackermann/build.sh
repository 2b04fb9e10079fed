#!/usr/bin/env bash
# Builds ackermann.wasm from ackermann.c (clang-14, wasm32, -O3, no libc) and checks that the listing has the loop
# shape of the seed issue. ackermann.wasm is committed, so tests and benchmarks never need clang.
# Also builds ackermann-wat.wasm from ackermann.wat (the seed's WAT verbatim) with wat2wasm.
set -euo pipefail
cd "$(dirname "$0")"
clang-14 --target=wasm32 -O3 -nostdlib -Wl,--no-entry -Wl,--export=ackermann -o ackermann.wasm ackermann.c
wat2wasm ackermann.wat -o ackermann-wat.wasm
wasm2wat ackermann.wasm > ackermann.listing.wat
# the seed's shape: if / loop / if (result i32) ... call ... else i32.const 1 end / local.tee / br_if 0
for needle in 'loop' 'if (result i32)' 'call 0' 'local.tee 0' 'br_if 0'; do
  grep -q -- "$needle" ackermann.listing.wat || { echo "ackermann.wasm: listing lacks '$needle'" >&2; exit 1; }
done
echo "built ackermann.wasm ($(stat -c %s ackermann.wasm) bytes) and ackermann-wat.wasm ($(stat -c %s ackermann-wat.wasm) bytes)"
