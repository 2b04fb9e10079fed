/* Deep recursion: Ackermann's function A(2, n) and A(3, k) for small k, summed. */
#include "kernel.h"

static NOINLINE uint32_t ack(uint32_t m, uint32_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

KERNEL("ackermann", 7) {
    uint32_t h = CHECKSUM_SEED;
    for (int32_t k = 1; k <= n; k++) h = mix32(h, ack(3, (uint32_t) k));
    h = mix32(h, ack(2, (uint32_t) n * 50));
    return h;
}
