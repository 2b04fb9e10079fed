/*
 * Saturating 8-bit image blend over a 512x512 RGBA image: out = min(255, src*alpha/256 + dst) per byte, then a
 * saturating brightness step (dst - 16, floored at 0) and an average with the previous row: byte loops that
 * vectorize to the saturating and averaging lane operations.
 */
#include "kernel.h"

#define PIXELS (512 * 512 * 4)
static uint8_t src[PIXELS], dst[PIXELS], out[PIXELS];

static NOINLINE void blend(uint8_t *restrict o, const uint8_t *restrict s, const uint8_t *restrict d, int32_t len,
                           uint32_t alpha) {
    for (int32_t i = 0; i < len; i++) {
        uint32_t v = ((uint32_t) s[i] * alpha >> 8) + d[i];
        o[i] = (uint8_t) (v > 255 ? 255 : v);
    }
}

static NOINLINE void darken_average(uint8_t *restrict o, int32_t len, int32_t row) {
    for (int32_t i = 0; i < len; i++) o[i] = (uint8_t) (o[i] > 16 ? o[i] - 16 : 0);
    for (int32_t i = row; i < len; i++) o[i] = (uint8_t) (((uint32_t) o[i] + o[i - row] + 1) >> 1);
}

KERNEL("blend", 8) {
    static int ready;   /* the input once per process; dst is reset from it below */
    static uint8_t dst0[PIXELS];
    lcg_t g = {13};
    for (int32_t i = 0; i < PIXELS && !ready; i++) {
        src[i] = (uint8_t) lcg_next(&g);
        dst0[i] = (uint8_t) (lcg_next(&g) >> 1);
    }
    ready = 1;
    memcpy(dst, dst0, PIXELS);
    uint32_t h = CHECKSUM_SEED;
    for (int32_t round = 0; round < n; round++) {
        blend(out, src, dst, PIXELS, (uint32_t) (round * 37 + 64) & 255);
        darken_average(out, PIXELS, 512 * 4);
        for (int32_t i = 0; i < PIXELS; i += 4096) {
            uint32_t w;
            memcpy(&w, out + i, 4);
            h = mix32(h, w);
        }
        memcpy(dst, out, 4096);
    }
    return h;
}
