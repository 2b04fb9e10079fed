/* Field arithmetic mod 2^255 - 19 in five 51-bit limbs (the ed25519/curve25519 representation):
 * 64x64 -> 128-bit multiplies with unsigned __int128, carries, and an inversion by Fermat's little theorem
 * (a^(p-2): 254 squarings and ~11 multiplies), repeated over a chain of field elements. */
#include "kernel.h"

typedef uint64_t fe[5];
typedef unsigned __int128 u128;
#define MASK51 ((1ull << 51) - 1)

static inline void fe_mul(fe r, const fe a, const fe b) {
    uint64_t b1_19 = b[1] * 19, b2_19 = b[2] * 19, b3_19 = b[3] * 19, b4_19 = b[4] * 19;
    u128 t0 = (u128) a[0] * b[0] + (u128) a[1] * b4_19 + (u128) a[2] * b3_19 + (u128) a[3] * b2_19 + (u128) a[4] * b1_19;
    u128 t1 = (u128) a[0] * b[1] + (u128) a[1] * b[0] + (u128) a[2] * b4_19 + (u128) a[3] * b3_19 + (u128) a[4] * b2_19;
    u128 t2 = (u128) a[0] * b[2] + (u128) a[1] * b[1] + (u128) a[2] * b[0] + (u128) a[3] * b4_19 + (u128) a[4] * b3_19;
    u128 t3 = (u128) a[0] * b[3] + (u128) a[1] * b[2] + (u128) a[2] * b[1] + (u128) a[3] * b[0] + (u128) a[4] * b4_19;
    u128 t4 = (u128) a[0] * b[4] + (u128) a[1] * b[3] + (u128) a[2] * b[2] + (u128) a[3] * b[1] + (u128) a[4] * b[0];
    t1 += (uint64_t) (t0 >> 51); uint64_t r0 = (uint64_t) t0 & MASK51;
    t2 += (uint64_t) (t1 >> 51); uint64_t r1 = (uint64_t) t1 & MASK51;
    t3 += (uint64_t) (t2 >> 51); uint64_t r2 = (uint64_t) t2 & MASK51;
    t4 += (uint64_t) (t3 >> 51); uint64_t r3 = (uint64_t) t3 & MASK51;
    uint64_t carry = (uint64_t) (t4 >> 51); uint64_t r4 = (uint64_t) t4 & MASK51;
    r0 += carry * 19;
    r1 += r0 >> 51; r0 &= MASK51;
    r[0] = r0; r[1] = r1; r[2] = r2; r[3] = r3; r[4] = r4;
}

static inline void fe_sq(fe r, const fe a) {
    fe_mul(r, a, a);
}

static inline void fe_sqn(fe r, const fe a, int n) {
    fe_sq(r, a);
    for (int i = 1; i < n; i++) fe_sq(r, r);
}

static inline void fe_copy(fe r, const fe a) {
    for (int i = 0; i < 5; i++) r[i] = a[i];
}

/* r = z^(p-2) = z^(2^255 - 21), the classic addition chain. */
static NOINLINE void fe_invert(fe r, const fe z) {
    fe z2, z9, z11, z2_5_0, z2_10_0, z2_20_0, z2_50_0, z2_100_0, t;
    fe_sq(z2, z);
    fe_sqn(t, z2, 2);
    fe_mul(z9, t, z);
    fe_mul(z11, z9, z2);
    fe_sq(t, z11);
    fe_mul(z2_5_0, t, z9);
    fe_sqn(t, z2_5_0, 5);
    fe_mul(z2_10_0, t, z2_5_0);
    fe_sqn(t, z2_10_0, 10);
    fe_mul(z2_20_0, t, z2_10_0);
    fe_sqn(t, z2_20_0, 20);
    fe_mul(t, t, z2_20_0);
    fe_sqn(t, t, 10);
    fe_mul(z2_50_0, t, z2_10_0);
    fe_sqn(t, z2_50_0, 50);
    fe_mul(z2_100_0, t, z2_50_0);
    fe_sqn(t, z2_100_0, 100);
    fe_mul(t, t, z2_100_0);
    fe_sqn(t, t, 50);
    fe_mul(t, t, z2_50_0);
    fe_sqn(t, t, 5);
    fe_mul(r, t, z11);
}

/* The canonical value (fully reduced below p). */
static void fe_reduce(fe r) {
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 4; i++) {
            r[i + 1] += r[i] >> 51;
            r[i] &= MASK51;
        }
        r[0] += 19 * (r[4] >> 51);
        r[4] &= MASK51;
    }
    /* subtract p if r >= p */
    uint64_t q = (r[0] + 19) >> 51;
    for (int i = 1; i < 5; i++) q = (r[i] + q) >> 51;
    r[0] += 19 * q;
    for (int i = 0; i < 4; i++) {
        r[i + 1] += r[i] >> 51;
        r[i] &= MASK51;
    }
    r[4] &= MASK51;
}

KERNEL("field25519", 20) {
    lcg_t g = {29};
    fe x, inv, one;
    for (int i = 0; i < 5; i++) x[i] = ((uint64_t) lcg_next(&g) << 32 | lcg_next(&g)) & MASK51;
    uint32_t h = CHECKSUM_SEED;
    for (int32_t k = 0; k < n; k++) {
        fe_invert(inv, x);
        fe_mul(one, inv, x);
        fe_reduce(one);
        h = mix32(h, one[0] == 1 && (one[1] | one[2] | one[3] | one[4]) == 0);
        fe_mul(x, x, inv);        /* x := x * x^-1 would be 1: perturb so the chain keeps moving */
        x[0] += (uint64_t) k * 977 + 5;
        fe_mul(x, x, inv);
        fe_reduce(inv);
        for (int i = 0; i < 5; i++) h = mix64(h, inv[i]);
    }
    return h;
}
