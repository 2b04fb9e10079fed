/* Sieve of Eratosthenes over a byte array, repeated; checksums the prime count and a mix of the last primes. */
#include "kernel.h"

#define LIMIT 1000000
static uint8_t composite[LIMIT + 1];

KERNEL("sieve", 10) {
    uint32_t h = CHECKSUM_SEED;
    for (int32_t rep = 0; rep < n; rep++) {
        uint32_t limit = LIMIT - (uint32_t) rep * 1000;
        memset(composite, 0, limit + 1);
        uint32_t count = 0, last = 0;
        for (uint32_t i = 2; i <= limit; i++) {
            if (composite[i]) continue;
            count++;
            last = i;
            for (uint64_t j = (uint64_t) i * i; j <= limit; j += i) composite[j] = 1;
        }
        h = mix32(mix32(h, count), last);
    }
    return h;
}
