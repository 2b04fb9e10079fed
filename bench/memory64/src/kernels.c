/*
 * Memory-heavy kernels for the memory64 cost measurement (bench/memory64/README.md): the same C is built for
 * wasm32 and wasm64 (clang-14 --target=wasm32 / --target=wasm64, -O3, freestanding), so the two modules differ only
 * in the address type of their memory (and the pointer width of the code).
 *
 *   matmul(n)    n x n double matrix multiply (i-k-j), checksum of the result's bits: streaming loads and stores
 *   heapsort(n)  heapsort of n pseudo-random u32, checksum of the sorted array: data-dependent indexing
 *
 * Freestanding: no libc but the memset clang's loop idioms call.
 */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef __SIZE_TYPE__ size_t;

void *memset(void *d, int c, size_t n) {
    unsigned char *p = d;
    while (n--) *p++ = (unsigned char) c;
    return d;
}

#define EXPORT(name) __attribute__((export_name(name), noinline))

#define MAXD 256
static double A[MAXD * MAXD], B[MAXD * MAXD], C[MAXD * MAXD];

static u32 lcg(u32 *s) {
    *s = *s * 1103515245u + 12345u;
    return *s >> 1;
}

static u32 mix64(u32 h, u64 bits) {
    h = (h ^ (u32) bits) * 16777619u;
    return (h ^ (u32) (bits >> 32)) * 16777619u;
}

EXPORT("matmul") u32 matmul(int n) {
    int d = n > MAXD ? MAXD : n;
    u32 s = 3;
    for (int i = 0; i < d * d; i++) {
        A[i] = (double) (int) (lcg(&s) % 2001u - 1000u) / 256.0;
        B[i] = (double) (lcg(&s) % 1000u) / 1024.0 - 0.25;
    }
    for (int i = 0; i < d; i++) {
        double *c = C + (size_t) i * d;
        for (int j = 0; j < d; j++) c[j] = 0.0;
        for (int k = 0; k < d; k++) {
            double a = A[(size_t) i * d + k];
            const double *b = B + (size_t) k * d;
            for (int j = 0; j < d; j++) c[j] += a * b[j];
        }
    }
    u32 h = 2166136261u;
    for (int i = 0; i < d * d; i++) {
        u64 bits;
        __builtin_memcpy(&bits, &C[i], sizeof bits);
        h = mix64(h, bits);
    }
    return h;
}

#define MAXN 65536
static u32 V[MAXN];

static void sift(u32 *a, size_t start, size_t end) {
    size_t root = start;
    while (2 * root + 1 <= end) {
        size_t child = 2 * root + 1;
        if (child + 1 <= end && a[child] < a[child + 1]) child++;
        if (a[root] >= a[child]) return;
        u32 t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

EXPORT("heapsort") u32 heapsort(int n) {
    size_t m = n > MAXN ? MAXN : (size_t) n;
    u32 s = 7;
    for (size_t i = 0; i < m; i++) V[i] = lcg(&s);
    if (m > 1) {
        for (size_t start = (m - 2) / 2 + 1; start-- > 0;) sift(V, start, m - 1);
        for (size_t end = m - 1; end > 0; end--) {
            u32 t = V[0];
            V[0] = V[end];
            V[end] = t;
            sift(V, 0, end - 1);
        }
    }
    u32 h = 2166136261u;
    for (size_t i = 0; i < m; i++) h = (h ^ V[i]) * 16777619u;
    return h;
}
