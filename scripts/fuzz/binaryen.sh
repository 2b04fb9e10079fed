#!/usr/bin/env bash
# Prints the path of binaryen 132's wasm-opt, installing it first (npm install binaryen@132.0.0 into
# ${ISTHMUS_TOOLS:-$HOME/.cache/isthmus-tools}/binaryen132) when it is not there yet. Only the fuzz scripts need it;
# the normal build and test run never do.
set -euo pipefail
dir=${ISTHMUS_TOOLS:-$HOME/.cache/isthmus-tools}/binaryen132
opt=$dir/node_modules/binaryen/bin/wasm-opt
if [[ ! -x $opt ]]; then
  mkdir -p "$dir"
  (cd "$dir" && npm install --silent --no-audit --no-fund binaryen@132.0.0 >&2)
fi
"$opt" --version | grep -q 'version 132' || { echo "unexpected wasm-opt version: $("$opt" --version)" >&2; exit 1; }
echo "$opt"
