/* NxN single-precision matrix multiply (i-k-j order: the inner loop vectorizes), checksummed over the bits. */
#include "kernel.h"

#define MAXD 512
static float A[MAXD * MAXD], B[MAXD * MAXD], C[MAXD * MAXD];

static NOINLINE void matmul(int32_t d) {
    for (int32_t i = 0; i < d; i++) {
        float *c = C + (size_t) i * d;
        for (int32_t j = 0; j < d; j++) c[j] = 0.0f;
        for (int32_t k = 0; k < d; k++) {
            float a = A[(size_t) i * d + k];
            const float *b = B + (size_t) k * d;
            for (int32_t j = 0; j < d; j++) c[j] += a * b[j];
        }
    }
}

KERNEL("matmulf", 128) {
    int32_t d = n > MAXD ? MAXD : n;
    lcg_t g = {3};
    for (int32_t i = 0; i < d * d; i++) {
        A[i] = (float) (int32_t) (lcg_next(&g) % 2001u - 1000u) / 256.0f;
        B[i] = (float) (lcg_next(&g) % 1000u) / 1024.0f - 0.25f;
    }
    matmul(d);
    uint32_t h = CHECKSUM_SEED;
    for (int32_t i = 0; i < d * d; i++) {
        uint32_t bits;
        memcpy(&bits, &C[i], sizeof bits);
        h = mix32(h, bits);
    }
    return h;
}
