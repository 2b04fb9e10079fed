/* An open-addressing hash map (linear probing, backward-shift deletion) from 64-bit keys to 32-bit values:
 * inserts with repeated keys, lookups of present and absent keys, deletions, and reinsertions. */
#include "kernel.h"

#define CAPACITY (1 << 20)
static uint64_t keys[CAPACITY];
static uint32_t values[CAPACITY];
static uint8_t used[CAPACITY];

static inline uint32_t slot_of(uint64_t key, uint32_t mask) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (uint32_t) key & mask;
}

static void put(uint64_t key, uint32_t value, uint32_t mask, uint32_t *size) {
    uint32_t i = slot_of(key, mask);
    while (used[i]) {
        if (keys[i] == key) {
            values[i] += value;
            return;
        }
        i = (i + 1) & mask;
    }
    used[i] = 1;
    keys[i] = key;
    values[i] = value;
    (*size)++;
}

static int get(uint64_t key, uint32_t mask, uint32_t *value) {
    uint32_t i = slot_of(key, mask);
    while (used[i]) {
        if (keys[i] == key) {
            *value = values[i];
            return 1;
        }
        i = (i + 1) & mask;
    }
    return 0;
}

static int erase(uint64_t key, uint32_t mask, uint32_t *size) {
    uint32_t i = slot_of(key, mask);
    while (used[i]) {
        if (keys[i] == key) break;
        i = (i + 1) & mask;
    }
    if (!used[i]) return 0;
    /* backward shift: move later entries of the run into the hole when their home slot allows it */
    uint32_t hole = i, j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!used[j]) break;
        uint32_t home = slot_of(keys[j], mask);
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            keys[hole] = keys[j];
            values[hole] = values[j];
            hole = j;
        }
    }
    used[hole] = 0;
    (*size)--;
    return 1;
}

static NOINLINE uint32_t workload(uint32_t ops) {
    uint32_t cap = 1;
    while (cap < ops * 2 && cap < CAPACITY) cap <<= 1;
    uint32_t mask = cap - 1, size = 0;
    memset(used, 0, cap);
    lcg_t g = {31};
    uint32_t universe = ops / 2 + 1;
    for (uint32_t i = 0; i < ops; i++) {
        uint64_t k = (uint64_t) (lcg_next(&g) % universe) * 0x9E3779B97F4A7C15ull;
        put(k, i, mask, &size);
    }
    uint32_t h = mix32(CHECKSUM_SEED, size), found = 0, v;
    for (uint32_t i = 0; i < ops; i++) {
        uint64_t k = (uint64_t) (lcg_next(&g) % (universe * 2)) * 0x9E3779B97F4A7C15ull;
        if (get(k, mask, &v)) {
            found++;
            h = mix32(h, v);
        }
    }
    for (uint32_t i = 0; i < ops / 2; i++) {
        uint64_t k = (uint64_t) (lcg_next(&g) % universe) * 0x9E3779B97F4A7C15ull;
        if (erase(k, mask, &size)) put(k + 1, i, mask, &size);
    }
    h = mix32(mix32(h, found), size);
    for (uint32_t i = 0; i < cap; i += 17) h = mix32(h, used[i] ? values[i] : 0);
    return h;
}

KERNEL("hashmap", 100) {
    uint32_t ops = (uint32_t) n * 1000;
    if (ops > CAPACITY / 2) ops = CAPACITY / 2;
    return workload(ops);
}
