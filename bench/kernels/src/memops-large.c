/* memcpy / memmove / memset of large sizes (4 KiB - 1 MiB), overlapping moves in both directions included. */
#include "kernel.h"

#define ARENA (4 << 20)
static uint8_t arena[ARENA];

static NOINLINE uint32_t churn(uint32_t ops, uint32_t seed) {
    lcg_t g = {seed};
    uint32_t h = CHECKSUM_SEED;
    for (uint32_t i = 0; i < ops; i++) {
        uint32_t r = lcg_next(&g);
        uint32_t size = 4096u << (r % 9);            /* 4 KiB .. 1 MiB */
        size += (r >> 4) & 63;                        /* not always a multiple of 64 */
        uint32_t room = ARENA - size;
        uint32_t src = lcg_next(&g) % room, dst = lcg_next(&g) % room;
        switch ((r >> 12) % 4) {
        case 0: case 1:
            memmove(arena + dst, arena + src, size);  /* may overlap either way */
            break;
        case 2: {
            uint32_t half = ARENA / 2;
            uint32_t s = src % (half - size), d = half + dst % (half - size);
            memcpy(arena + d, arena + s, size);
            break;
        }
        default:
            memset(arena + dst, (int) (r >> 24), size);
            break;
        }
        h = mix32(h, arena[dst]);
        h = mix32(h, arena[dst + size - 1]);
    }
    return h;
}

KERNEL("memops-large", 50) {
    for (uint32_t i = 0; i < ARENA; i++) arena[i] = (uint8_t) (i ^ (i >> 9));
    uint32_t h = churn((uint32_t) n * 10, 2);
    for (uint32_t i = 0; i < ARENA; i += 4093) h = mix32(h, arena[i]);
    return h;
}
