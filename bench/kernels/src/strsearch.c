/* String search over generated text on a small alphabet (many partial matches): a naive search, a
 * Boyer-Moore-Horspool search and a first-byte scan, for patterns of several lengths; counts must agree. */
#include "kernel.h"

#define MAXBYTES (1 << 20)
static char text[MAXBYTES];

static NOINLINE uint32_t naive(const char *t, size_t n, const char *p, size_t m) {
    uint32_t count = 0;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && t[i + j] == p[j]) j++;
        if (j == m) count++;
    }
    return count;
}

static NOINLINE uint32_t horspool(const char *t, size_t n, const char *p, size_t m) {
    size_t shift[256];
    for (int c = 0; c < 256; c++) shift[c] = m;
    for (size_t j = 0; j + 1 < m; j++) shift[(uint8_t) p[j]] = m - 1 - j;
    uint32_t count = 0;
    size_t i = 0;
    while (i + m <= n) {
        char last = t[i + m - 1];
        if (last == p[m - 1] && memcmp(t + i, p, m - 1) == 0) count++;
        i += shift[(uint8_t) last];
    }
    return count;
}

static NOINLINE uint32_t first_byte(const char *t, size_t n, const char *p, size_t m) {
    uint32_t count = 0;
    const char *end = t + n;
    for (const char *s = t; s + m <= end; s++) {
        if (*s != p[0]) continue;
        size_t j = 1;
        while (j < m && s[j] == p[j]) j++;
        count += j == m;
    }
    return count;
}

KERNEL("strsearch", 128) {
    size_t len = (size_t) n * 1024;
    int rounds = 1;
    if (len > MAXBYTES) {  /* beyond the buffer: more rounds */
        rounds = (int) (len / MAXBYTES);
        len = MAXBYTES;
    }
    lcg_t g = {41};
    for (size_t i = 0; i < len; i++) {
        uint32_t r = lcg_next(&g);
        text[i] = (char) ("abcdab ab"[r % 9]);
    }
    static const char *patterns[] = {"ab", "abc", "abcab", "dab ab", "abab", "cdab abcdab", "a b", "bcdabcd"};
    uint32_t h = CHECKSUM_SEED;
    for (int k = 0; k < 8 * rounds; k++) {
        size_t m = strlen(patterns[k % 8]);
        uint32_t a = naive(text, len - (size_t) (k / 8), patterns[k % 8], m);
        uint32_t b = horspool(text, len - (size_t) (k / 8), patterns[k % 8], m);
        uint32_t c = first_byte(text, len - (size_t) (k / 8), patterns[k % 8], m);
        h = mix32(mix32(mix32(h, a), b == a), c == a);
    }
    return h;
}
