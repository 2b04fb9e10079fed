/* Pseudo-random generators: xoshiro256** (64-bit rotates, shifts, multiplies), PCG32 (64-bit LCG with a
 * data-dependent rotate), bounded integers by 64x64 multiply-high, doubles from the top 53 bits, and a histogram. */
#include "kernel.h"

static inline uint64_t rotl64(uint64_t v, unsigned s) {
    return (v << s) | (v >> (64 - s));
}

typedef struct { uint64_t s[4]; } xoshiro_t;

static inline uint64_t xoshiro_next(xoshiro_t *x) {
    uint64_t *s = x->s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

static inline uint32_t pcg32_next(uint64_t *state) {
    uint64_t old = *state;
    *state = old * 6364136223846793005ull + 1442695040888963407ull;
    uint32_t xorshifted = (uint32_t) (((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t) (old >> 59);
    return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
}

static uint32_t histogram[64];

static NOINLINE uint32_t generate(uint32_t count) {
    xoshiro_t x = {{0x9E3779B97F4A7C15ull, 0xBF58476D1CE4E5B9ull, 0x94D049BB133111EBull, 12345}};
    uint64_t pcg = 0x853c49e6748fea9bull;
    double sum = 0.0;
    uint64_t acc = 0;
    for (int i = 0; i < 64; i++) histogram[i] = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint64_t r = xoshiro_next(&x);
        uint32_t p = pcg32_next(&pcg);
        uint64_t bounded = (uint64_t) (((unsigned __int128) r * 1000003u) >> 64);
        histogram[p & 63]++;
        acc += bounded ^ p;
        sum += (double) (r >> 11) * 0x1.0p-53;
    }
    uint64_t bits;
    memcpy(&bits, &sum, sizeof bits);
    uint32_t h = mix64(CHECKSUM_SEED, acc);
    h = mix64(h, bits);
    for (int i = 0; i < 64; i++) h = mix32(h, histogram[i]);
    return h;
}

KERNEL("prng", 100) {
    return generate((uint32_t) n * 10000);
}
