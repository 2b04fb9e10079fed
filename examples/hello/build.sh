#!/usr/bin/env bash
# Builds hello.wasm (a WASI command: exports _start, imports wasi_snapshot_preview1) with clang-14 and the Debian
# wasi-libc sysroot. hello.wasm is committed, so nothing else needs clang.
set -euo pipefail
cd "$(dirname "$0")"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug -o hello.wasm hello.c
echo "built hello.wasm ($(stat -c %s hello.wasm) bytes); imports:"
wasm-objdump -x -j Import hello.wasm | grep -o 'wasi_snapshot_preview1\.[a-z_]*' | sort -u
