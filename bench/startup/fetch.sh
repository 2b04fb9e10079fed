#!/usr/bin/env bash
# Fetches the large real WASI program of issue #15's start-up benchmark: Yosys (Verilog synthesis,
# C++, clang -O3 -flto) as the npm package @yowasp/yosys, and lays out the guest root it runs in.
#
#   bench/startup/fetch.sh            # installs into ${ISTHMUS_TOOLS:-/work/tools}/yowasp
#
# Prints the module's path on standard output (the last line), its sizes on standard error.
# The package's gen/yosys.core.wasm is a plain WASI preview1 command (imports only
# wasi_snapshot_preview1.*, exports _start and memory); the package wraps it in a component
# (yosys.core2..4.wasm are the adapter pieces) for its JavaScript runner, which we do not use.
# That runner (gen/bundle.js) runs the program with argv[0] "yowasp-yosys", an empty environment
# and one preopened directory "/" holding the user's files plus share/ (yosys's techlibs, from
# gen/resources-yosys.js and gen/share/). Yosys looks for share/ at /share. The ABC pass also
# needs a writable /tmp. extract-share.mjs writes share/ to ROOT/share; first-output.sh copies
# ROOT (with design.v and an empty tmp/) to a fresh directory for each benchmark.
# The .wasm is never committed (31 MB).
set -euo pipefail

VERSION=0.55.944
here=$(cd "$(dirname "$0")" && pwd)
tools=${ISTHMUS_TOOLS:-/work/tools}
prefix=$tools/yowasp
pkg=$prefix/node_modules/@yowasp/yosys
wasm=$pkg/gen/yosys.core.wasm

if [[ ! -f $wasm ]] || [[ $(node -p "require('$pkg/package.json').version") != "$VERSION" ]]; then
    mkdir -p "$prefix"
    npm install --no-audit --no-fund --prefix "$prefix" "@yowasp/yosys@$VERSION" >&2
fi
if [[ ! -d $prefix/root/share ]]; then
    node "$here/extract-share.mjs" "$pkg" "$prefix/root"
fi

size=$(stat -c %s "$wasm")
echo "@yowasp/yosys $VERSION: $wasm, $size bytes" >&2
if command -v wasm-objdump >/dev/null; then
    code=$(wasm-objdump -h "$wasm" | sed -n 's/^ *Code .*(size=\(0x[0-9a-f]*\)) count: \([0-9]*\).*/\1 \2/p')
    read -r code_size functions <<<"$code"
    echo "  code section: $((code_size)) bytes, $functions functions" >&2
fi
echo "guest root (share/): $prefix/root" >&2
echo "$wasm"
