/*
 * memchr- and strlen-style byte search over a 1 MiB buffer: the position of each of 16 bytes' first occurrence
 * after many start points, and the lengths of NUL-terminated strings. The SIMD build (-msimd128) uses
 * wasm_simd128.h intrinsics (16 bytes compared per step, bitmask, count trailing zeros); every other build the
 * scalar loops (which gcc and clang vectorize natively as they see fit).
 */
#include "kernel.h"
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

#define SIZE (1 << 20)
static uint8_t buf[SIZE + 64];

static NOINLINE int32_t find_byte(const uint8_t *p, int32_t len, uint8_t c) {
    int32_t i = 0;
#if defined(__wasm_simd128__)
    v128_t needle = wasm_i8x16_splat((int8_t) c);
    for (; i + 16 <= len; i += 16) {
        uint32_t mask = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), needle));
        if (mask != 0) return i + __builtin_ctz(mask);
    }
#endif
    for (; i < len; i++) if (p[i] == c) return i;
    return -1;
}

static NOINLINE int32_t string_length(const uint8_t *p) {
    int32_t i = 0;
#if defined(__wasm_simd128__)
    /* aligned 16-byte steps never cross a page the string does not touch */
    uintptr_t misalign = (uintptr_t) p & 15;
    const uint8_t *q = p - misalign;
    uint32_t mask = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(q), wasm_i8x16_splat(0))) >> misalign;
    if (mask != 0) return __builtin_ctz(mask);
    for (i = 16 - (int32_t) misalign;; i += 16) {
        mask = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), wasm_i8x16_splat(0)));
        if (mask != 0) return i + __builtin_ctz(mask);
    }
#else
    while (p[i] != 0) i++;
    return i;
#endif
}

KERNEL("bytesearch", 16) {
    static int ready;
    lcg_t g = {11};
    /* text over 'a'..'p' with rare 'q'..'z', and a NUL every ~700 bytes, made once per process (run(n) stays
       deterministic: the queries use a generator of their own) */
    for (int32_t i = 0; i < SIZE && !ready; i++) {
        uint32_t r = lcg_next(&g);
        buf[i] = (uint8_t) ((r & 1023) == 0 ? 'q' + (r >> 10) % 10 : 'a' + (r >> 10) % 16);
        if ((r >> 20) % 700 == 0) buf[i] = 0;
    }
    ready = 1;
    g.s = 12;
    memset(buf + SIZE, 0, 64);
    uint32_t h = CHECKSUM_SEED;
    for (int32_t round = 0; round < n; round++) {
        for (int32_t k = 0; k < 16; k++) {
            int32_t start = (int32_t) (lcg_next(&g) % (SIZE / 2));
            int32_t at = find_byte(buf + start, SIZE - start, (uint8_t) ('q' + k % 10));
            h = mix32(h, (uint32_t) at);
        }
        int32_t pos = (int32_t) (lcg_next(&g) % 4096);
        for (int32_t s = 0; s < 64 && pos < SIZE; s++) {
            int32_t len = string_length(buf + pos);
            h = mix32(h, (uint32_t) len);
            pos += len + 1;
        }
    }
    return h;
}
