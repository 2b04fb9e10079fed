#!/usr/bin/env bash
# Builds the native baselines of PrologueBenchmark's workloads (examples/{fib,calls,deep}/*.c) like build.sh does for
# ackermann: lib<name>-gcc.so (gcc -O3) and lib<name>-clang.so (clang-14 -O3), -fPIC -shared
# -fno-semantic-interposition (recursive and noinline calls go straight to the function, not through the PLT).
# All are committed (a few KB each); the benchmark loads them with Panama downcalls.
set -euo pipefail
cd "$(dirname "$0")"
for name in fib calls deep; do
  src=../../examples/$name/$name.c
  gcc -O3 -fPIC -fno-semantic-interposition -shared -o lib$name-gcc.so "$src"
  clang-14 -O3 -fPIC -fno-semantic-interposition -shared -o lib$name-clang.so "$src"
  strip --strip-unneeded lib$name-gcc.so lib$name-clang.so
  ls -l lib$name-gcc.so lib$name-clang.so
done
