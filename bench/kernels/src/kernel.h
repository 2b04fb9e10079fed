/*
 * Shared by every kernel of the suite. A kernel defines
 *     KERNEL(name, default work size) { ... return checksum; }
 * which becomes the exported function  uint32_t run(int32_t n)  (wasm export "run"; a default-visibility symbol
 * of the native shared library), and a main for whole-process mode: "kernel [n]" runs run(n) once and prints
 * "name n checksum". run must be deterministic and give the same result however often it is called.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__wasm__)
#define KERNEL_EXPORT __attribute__((export_name("run"), noinline))
#else
#define KERNEL_EXPORT __attribute__((visibility("default"), noinline))
#endif

#define NOINLINE __attribute__((noinline))

uint32_t run(int32_t n);

#ifndef KERNEL_NO_MAIN
#define KERNEL(NAME, DEFAULT_N)                                                  \
    static uint32_t kernel_body(int32_t n);                                      \
    KERNEL_EXPORT uint32_t run(int32_t n) { return kernel_body(n); }             \
    int main(int argc, char **argv) {                                            \
        int32_t n = argc > 1 ? (int32_t) atoi(argv[1]) : (DEFAULT_N);           \
        printf("%s %d %u\n", NAME, (int) n, (unsigned) run(n));                 \
        return 0;                                                                \
    }                                                                            \
    static uint32_t kernel_body(int32_t n)
#else
#define KERNEL(NAME, DEFAULT_N)                                                  \
    static uint32_t kernel_body(int32_t n);                                      \
    KERNEL_EXPORT uint32_t run(int32_t n) { return kernel_body(n); }             \
    static uint32_t kernel_body(int32_t n)
#endif

/* Checksum mixing (FNV-1a style over 32-bit words). */
static inline uint32_t mix32(uint32_t h, uint32_t x) {
    return (h ^ x) * 16777619u;
}

static inline uint32_t mix64(uint32_t h, uint64_t x) {
    return mix32(mix32(h, (uint32_t) x), (uint32_t) (x >> 32));
}

#define CHECKSUM_SEED 2166136261u

/* A small deterministic generator for inputs (not the PRNG kernel's). */
typedef struct { uint64_t s; } lcg_t;

static inline uint32_t lcg_next(lcg_t *g) {
    g->s = g->s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t) (g->s >> 33);
}

#endif
