/*
 * Chains of 4x4 single-precision matrix products (3D transforms): each step multiplies the running matrix by one
 * of 64 matrices. The SIMD build uses wasm_simd128.h intrinsics (a row of the result as four f32x4 splat-multiply-
 * adds); the other builds the plain loops. Both compute each element as ((a0*b0 + a1*b1) + a2*b2) + a3*b3 in
 * float, so every build gives the same bits (native builds use -ffp-contract=off: no fused multiply-add).
 */
#include "kernel.h"
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

static float mats[64][16];

static NOINLINE void mul4(float *restrict out, const float *a, const float *b) {
#if defined(__wasm_simd128__)
    v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4), b2 = wasm_v128_load(b + 8),
           b3 = wasm_v128_load(b + 12);
    for (int i = 0; i < 4; i++) {
        v128_t r = wasm_f32x4_mul(wasm_f32x4_splat(a[4 * i]), b0);
        r = wasm_f32x4_add(r, wasm_f32x4_mul(wasm_f32x4_splat(a[4 * i + 1]), b1));
        r = wasm_f32x4_add(r, wasm_f32x4_mul(wasm_f32x4_splat(a[4 * i + 2]), b2));
        r = wasm_f32x4_add(r, wasm_f32x4_mul(wasm_f32x4_splat(a[4 * i + 3]), b3));
        wasm_v128_store(out + 4 * i, r);
    }
#else
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = ((a[4 * i] * b[j] + a[4 * i + 1] * b[4 + j]) + a[4 * i + 2] * b[8 + j])
                             + a[4 * i + 3] * b[12 + j];
#endif
}

KERNEL("matmul4", 1000) {
    lcg_t g = {7};
    for (int m = 0; m < 64; m++)
        for (int k = 0; k < 16; k++) mats[m][k] = (float) ((int32_t) (lcg_next(&g) % 2001u) - 1000) / 1400.0f;
    float acc[16] __attribute__((aligned(16))), tmp[16] __attribute__((aligned(16)));
    uint32_t h = CHECKSUM_SEED;
    for (int32_t round = 0; round < n; round++) {
        for (int k = 0; k < 16; k++) acc[k] = (k % 5 == 0) ? 1.0f : 0.0f;
        for (int s = 0; s < 256; s++) {
            mul4(tmp, acc, mats[(s * 7 + round) & 63]);
            memcpy(acc, tmp, sizeof acc);
        }
        for (int k = 0; k < 16; k++) {
            uint32_t bits;
            memcpy(&bits, &acc[k], 4);
            h = mix32(h, bits);
        }
    }
    return h;
}
