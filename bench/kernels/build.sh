#!/usr/bin/env bash
# Builds the kernel suite (bench/kernels/src/*.c, see README.md):
#   wasm/NAME.wasm               clang-14 -O3 --target=wasm32-wasi, default features (committed; tests and CI use
#                                 these and never need clang)
#   wasm/NAME-bulk.wasm          the memops kernels again with -mbulk-memory (memcpy/memmove/memset become
#                                 memory.copy/memory.fill), committed too
#   wasm/NAME-simd.wasm          the SIMD kernels again with -msimd128 (auto-vectorized; some use wasm_simd128.h
#                                 intrinsics under __wasm_simd128__), committed too
#   build/gcc/NAME, libNAME.so   gcc -O3 native executable (whole-process mode) and shared library (JMH, Panama)
#   build/clang/NAME, libNAME.so clang-14 -O3 likewise                         (build/ is not committed)
#   build/{gcc,clang}-{v2,native}/...  kernels with a -simd variant again with -march=x86-64-v2 / -march=native and
#                                 -ffp-contract=off (no fused multiply-add, so the float kernels' bits match): the
#                                 SIMD comparisons (scripts/simd-bench.sh)
# then runs every native executable at each work size of kernels.tsv, checks that gcc and clang agree, and writes
# expected.tsv (the checksums the tests and benchmarks compare against; committed).
#
#   bench/kernels/build.sh            everything
#   bench/kernels/build.sh --native   only the native builds (what the benchmark scripts call; no wasm rebuild)
#
# Needs gcc, clang-14, wasm-ld-14, wasi-libc and compiler-rt for wasm32 (for __int128); installs the missing ones
# with apt-get when run as root. clang-14 with Debian's wasi-libc does NOT enable bulk memory by default, and that
# wasi-libc's memcpy/memmove/memset are plain C loops (no memory.copy/fill): the default builds contain no bulk
# memory instructions; the -bulk variants exist to exercise them.
set -euo pipefail
cd "$(dirname "$0")"
native_only=0
[ "${1:-}" = "--native" ] && native_only=1

need=()
command -v gcc >/dev/null || need+=(gcc)
command -v clang-14 >/dev/null || need+=(clang-14)
if [ "$native_only" = 0 ]; then
  command -v wasm-ld-14 >/dev/null || need+=(lld-14)
  [ -f /usr/share/wasi-sysroot/lib/wasm32-wasi/libc.a ] || [ -f /usr/lib/wasm32-wasi/libc.a ] || need+=(wasi-libc)
  ls /usr/lib/llvm-14/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 \
    || need+=(libclang-rt-14-dev-wasm32)
fi
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]}" >&2
    apt-get install -y -q "${need[@]}" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
  else
    echo "build.sh: missing ${need[*]}; install them (as root: apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
# Debian's wasi-libc lives under /usr (include/wasm32-wasi, lib/wasm32-wasi); the upstream SDK under
# /usr/share/wasi-sysroot
sysroot=/usr/share/wasi-sysroot
[ -f "$sysroot/lib/wasm32-wasi/libc.a" ] || sysroot=/usr

kernels=()
while read -r name _; do
  case "$name" in ''|'#'*) continue ;; esac
  kernels+=("$name")
done < kernels.tsv

mkdir -p wasm build/gcc build/clang
python3 gen_switch.py switch128 128 > src/switch128.c.new && mv src/switch128.c.new src/switch128.c
python3 gen_switch.py switch5000 5000 > src/switch5000.c.new && mv src/switch5000.c.new src/switch5000.c

base_of() { local base="${1%-bulk}"; echo "${base%-simd}"; }
source_of() { echo "src/$(base_of "$1").c"; }
has_simd() { grep -q "^$1-simd	" kernels.tsv; }

for k in "${kernels[@]}"; do
  src=$(source_of "$k")
  if [ "$native_only" = 0 ]; then
    extra=()
    [ "$k" != "${k%-bulk}" ] && extra=(-mbulk-memory)
    [ "$k" != "${k%-simd}" ] && extra=(-msimd128)
    clang-14 --target=wasm32-wasi --sysroot="$sysroot" -O3 ${extra[@]+"${extra[@]}"} -Wl,--strip-debug \
      -o "wasm/$k.wasm" "$src"
  fi
  [ "$k" != "$(base_of "$k")" ] && continue   # natively, a -bulk or -simd kernel is its base kernel
  gcc -O3 -o "build/gcc/$k" "$src"
  gcc -O3 -fPIC -shared -o "build/gcc/lib$k.so" "$src"
  clang-14 -O3 -o "build/clang/$k" "$src"
  clang-14 -O3 -fPIC -shared -o "build/clang/lib$k.so" "$src"
  has_simd "$k" || continue
  for march in v2 native; do
    flag=-march=$march
    [ "$march" = v2 ] && flag=-march=x86-64-v2
    mkdir -p "build/gcc-$march" "build/clang-$march"
    gcc -O3 "$flag" -ffp-contract=off -o "build/gcc-$march/$k" "$src"
    gcc -O3 "$flag" -ffp-contract=off -fPIC -shared -o "build/gcc-$march/lib$k.so" "$src"
    clang-14 -O3 "$flag" -ffp-contract=off -o "build/clang-$march/$k" "$src"
    clang-14 -O3 "$flag" -ffp-contract=off -fPIC -shared -o "build/clang-$march/lib$k.so" "$src"
  done
done

touch build/gcc build/clang   # scripts/kernel-bench.sh rebuilds when a source is newer than these
# bulk memory in the default builds? (0xFC 0x0A memory.copy / 0xFC 0x0B memory.fill in a code section)
if [ "$native_only" = 0 ] && command -v llvm-objdump-14 >/dev/null; then
  for k in "${kernels[@]}"; do
    n=$(llvm-objdump-14 -d "wasm/$k.wasm" | grep -cE 'memory\.(copy|fill)' || true)
    echo "wasm/$k.wasm: $(stat -c %s "wasm/$k.wasm") bytes, $n memory.copy/fill"
  done
fi

# expected checksums: gcc's, checked against clang's, at each work size of kernels.tsv
out=expected.tsv.new
echo -e "# kernel\twork size\tchecksum (gcc -O3 native, = clang-14 -O3 native); written by build.sh" > "$out"
status=0
while read -r name test_n bench_n process_n _; do
  case "$name" in ''|'#'*) continue ;; esac
  base=$(base_of "$name")
  for n in $(printf '%s\n' "$test_n" "$bench_n" "$process_n" | awk '!seen[$0]++'); do
    g=$("build/gcc/$base" "$n" | awk '{print $3}')
    c=$("build/clang/$base" "$n" | awk '{print $3}')
    others=(clang)
    has_simd "$base" && others+=(gcc-v2 gcc-native clang-v2 clang-native)
    for other in "${others[@]}"; do
      o=$("build/$other/$base" "$n" | awk '{print $3}')
      if [ "$g" != "$o" ]; then
        echo "$name $n: gcc $g, $other $o disagree" >&2
        status=1
      fi
    done
    echo -e "$name\t$n\t$g" >> "$out"
  done
done < kernels.tsv
[ "$status" = 0 ] || { rm -f "$out"; exit 1; }
if [ "$native_only" = 0 ]; then
  mv "$out" expected.tsv
  echo "wrote expected.tsv"
else
  cmp -s <(sort "$out") <(sort expected.tsv) || { echo "native checksums differ from expected.tsv:" >&2; diff expected.tsv "$out" >&2; rm -f "$out"; exit 1; }
  rm -f "$out"
fi
