/* Heapsort of pseudo-random 32-bit keys. */
#include "kernel.h"

#define MAXN (1 << 20)
static uint32_t keys[MAXN];

static void sift_down(uint32_t *a, uint32_t start, uint32_t end) {
    uint32_t root = start;
    for (;;) {
        uint32_t child = 2 * root + 1;
        if (child > end) return;
        if (child + 1 <= end && a[child] < a[child + 1]) child++;
        if (a[root] >= a[child]) return;
        uint32_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static NOINLINE void heap_sort(uint32_t *a, uint32_t count) {
    if (count < 2) return;
    for (uint32_t start = (count - 2) / 2 + 1; start-- > 0;) sift_down(a, start, count - 1);
    for (uint32_t end = count - 1; end > 0; end--) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end - 1);
    }
}

KERNEL("heapsort", 100) {
    uint32_t count = (uint32_t) n * 1000;
    if (count > MAXN) count = MAXN;
    lcg_t g = {42};
    for (uint32_t i = 0; i < count; i++) keys[i] = lcg_next(&g);
    heap_sort(keys, count);
    uint32_t h = CHECKSUM_SEED, sorted = 1;
    for (uint32_t i = 0; i < count; i++) {
        if (i && keys[i - 1] > keys[i]) sorted = 0;
        if ((i & 255) == 0) h = mix32(h, keys[i]);
    }
    return mix32(h, sorted);
}
