/* Dot products of int16 vectors (4096 elements) into int32, as in fixed-point filters: vectorizes to pmaddwd. */
#include "kernel.h"

#define LEN 4096
static int16_t x[64][LEN], y[LEN];

static NOINLINE int32_t dot(const int16_t *restrict a, const int16_t *restrict b, int32_t len) {
    int32_t s = 0;
    for (int32_t i = 0; i < len; i++) s += (int32_t) a[i] * b[i];
    return s;
}

KERNEL("dot16", 64) {
    static int ready;   /* the input once per process */
    lcg_t g = {19};
    for (int r = 0; r < 64 && !ready; r++)
        for (int32_t i = 0; i < LEN; i++) x[r][i] = (int16_t) lcg_next(&g);
    for (int32_t i = 0; i < LEN && !ready; i++) y[i] = (int16_t) lcg_next(&g);
    ready = 1;
    uint32_t h = CHECKSUM_SEED;
    for (int32_t round = 0; round < n; round++)
        for (int r = 0; r < 64; r++) h = mix32(h, (uint32_t) dot(x[r], y, LEN));
    return h;
}
