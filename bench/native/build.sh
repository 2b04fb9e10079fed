#!/usr/bin/env bash
# Builds the native baselines for AckermannBenchmark from examples/ackermann/ackermann.c:
#   libackermann-gcc.so    gcc -O3 -fPIC -shared
#   libackermann-clang.so  clang-14 -O3 -fPIC -shared
# -fno-semantic-interposition lets the recursive calls go straight to the function (as in the seed's native
# executable) instead of through the PLT, which -fPIC alone would require for an exported symbol.
# Both are committed (a few KB each); the benchmark loads them with a Panama downcall.
set -euo pipefail
cd "$(dirname "$0")"
src=../../examples/ackermann/ackermann.c
gcc -O3 -fPIC -fno-semantic-interposition -shared -o libackermann-gcc.so "$src"
clang-14 -O3 -fPIC -fno-semantic-interposition -shared -o libackermann-clang.so "$src"
strip --strip-unneeded libackermann-gcc.so libackermann-clang.so
ls -l libackermann-gcc.so libackermann-clang.so
bash "$(dirname "$0")/build-prologue.sh"   # fib, calls, deep (PrologueBenchmark)
