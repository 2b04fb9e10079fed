/* memcpy / memmove / memset of small variable sizes (8-64 bytes) at pseudo-random offsets, as in code that
 * copies small structs, strings and buffer slices. The sizes are not compile-time constants, so every copy is a
 * call of the C library's function (or, with bulk memory, memory.copy / memory.fill). */
#include "kernel.h"

#define ARENA (1 << 16)
static uint8_t arena[ARENA + 128];

static NOINLINE uint32_t churn(uint32_t ops, uint32_t seed) {
    lcg_t g = {seed};
    uint32_t h = CHECKSUM_SEED;
    for (uint32_t i = 0; i < ops; i++) {
        uint32_t r = lcg_next(&g);
        uint32_t size = 8 + (r & 63) % 57;          /* 8..64 */
        uint32_t src = (r >> 6) & (ARENA - 1);
        uint32_t dst = (r >> 16) & (ARENA - 1);
        switch ((r >> 28) & 3) {
        case 0: case 1:
            dst &= ARENA / 2 - 1;                        /* memcpy's operands never overlap */
            memcpy(arena + dst, arena + ARENA / 2 + (src & (ARENA / 2 - 1)), size);
            break;
        case 2:
            memmove(arena + dst, arena + ((dst + (r & 31)) & (ARENA - 1)), size);
            break;
        default:
            memset(arena + dst, (int) (r & 0xff), size);
            break;
        }
        h = mix32(h, arena[(dst + size - 1)]);
    }
    return h;
}

KERNEL("memops-small", 100) {
    for (uint32_t i = 0; i < ARENA + 128; i++) arena[i] = (uint8_t) (i * 7 + 3);
    uint32_t h = churn((uint32_t) n * 10000, 1);
    for (uint32_t i = 0; i < ARENA; i += 97) h = mix32(h, arena[i]);
    return h;
}
