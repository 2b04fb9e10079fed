/* Recursive quicksort (median of three, insertion sort below 16) of pseudo-random 32-bit keys with duplicates. */
#include "kernel.h"

#define MAXN (1 << 20)
static int32_t keys[MAXN];

static void insertion(int32_t *a, int32_t lo, int32_t hi) {
    for (int32_t i = lo + 1; i <= hi; i++) {
        int32_t v = a[i], j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static inline void swap(int32_t *a, int32_t i, int32_t j) {
    int32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static NOINLINE void quick_sort(int32_t *a, int32_t lo, int32_t hi) {
    while (hi - lo >= 16) {
        int32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(a, mid, lo);
        if (a[hi] < a[lo]) swap(a, hi, lo);
        if (a[hi] < a[mid]) swap(a, hi, mid);
        int32_t pivot = a[mid], i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) swap(a, i++, j--);
        }
        if (j - lo < hi - i) {
            quick_sort(a, lo, j);
            lo = i;
        } else {
            quick_sort(a, i, hi);
            hi = j;
        }
    }
    insertion(a, lo, hi);
}

KERNEL("quicksort", 100) {
    int32_t count = n * 1000;
    if (count > MAXN) count = MAXN;
    lcg_t g = {7};
    for (int32_t i = 0; i < count; i++) keys[i] = (int32_t) (lcg_next(&g) % 1000003u) - 500000;
    quick_sort(keys, 0, count - 1);
    uint32_t h = CHECKSUM_SEED, sorted = 1;
    for (int32_t i = 0; i < count; i++) {
        if (i && keys[i - 1] > keys[i]) sorted = 0;
        if ((i & 127) == 0) h = mix32(h, (uint32_t) keys[i]);
    }
    return mix32(h, sorted);
}
