/* Doubly recursive Fibonacci, plus a recursive tree-sum with more arguments than registers-light fib. */
#include "kernel.h"

static NOINLINE uint32_t fib(uint32_t n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static NOINLINE uint64_t tree(uint32_t depth, uint64_t a, uint64_t b, uint32_t c) {
    if (depth == 0) return a * 31 + b * 17 + c;
    return tree(depth - 1, a + 1, b ^ c, c * 3 + 1) + tree(depth - 1, b, a + c, c + 7);
}

KERNEL("fib", 25) {
    uint32_t h = CHECKSUM_SEED;
    h = mix32(h, fib((uint32_t) n));
    h = mix64(h, tree((uint32_t) (n > 8 ? n - 8 : 0), 1, 2, 3));
    return h;
}
