#!/usr/bin/env bash
# Builds sqlbench.wasm: SQLite (the amalgamation npm's better-sqlite3 13.2.0 ships: SQLite 3.54.1, public domain)
# and sqlbench.c, a WASI command, with clang-14 and the Debian wasi-libc sysroot
# (apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32). sqlbench.wasm is committed, so nothing
# else needs clang; the amalgamation is fetched into a temporary directory, not committed.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack -q better-sqlite3@13.2.0 > /dev/null && tar xzf better-sqlite3-13.2.0.tgz \
    package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h)
src=$work/package/deps/sqlite3
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug -I "$src" \
    -DSQLITE_OS_OTHER=1 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL \
    -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_DEFAULT_MEMSTATUS=0 -DSQLITE_TEMP_STORE=3 \
    -Wno-unused-parameter -o sqlbench.wasm sqlbench.c "$src/sqlite3.c"
echo "built sqlbench.wasm ($(stat -c %s sqlbench.wasm) bytes)"
