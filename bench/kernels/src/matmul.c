/* NxN double-precision matrix multiply (i-k-j order), checksummed over the result's bits. */
#include "kernel.h"

#define MAXD 512
static double A[MAXD * MAXD], B[MAXD * MAXD], C[MAXD * MAXD];

static NOINLINE void matmul(int32_t d) {
    for (int32_t i = 0; i < d; i++) {
        double *c = C + (size_t) i * d;
        for (int32_t j = 0; j < d; j++) c[j] = 0.0;
        for (int32_t k = 0; k < d; k++) {
            double a = A[(size_t) i * d + k];
            const double *b = B + (size_t) k * d;
            for (int32_t j = 0; j < d; j++) c[j] += a * b[j];
        }
    }
}

KERNEL("matmul", 128) {
    int32_t d = n > MAXD ? MAXD : n;
    lcg_t g = {3};
    for (int32_t i = 0; i < d * d; i++) {
        A[i] = (double) (int32_t) (lcg_next(&g) % 2001u - 1000u) / 256.0;
        B[i] = (double) (lcg_next(&g) % 1000u) / 1024.0 - 0.25;
    }
    matmul(d);
    uint32_t h = CHECKSUM_SEED;
    for (int32_t i = 0; i < d * d; i++) {
        uint64_t bits;
        memcpy(&bits, &C[i], sizeof bits);
        h = mix64(h, bits);
    }
    return h;
}
