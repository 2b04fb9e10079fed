/* A CSV parser (RFC 4180 quoting: quoted fields, doubled quotes, embedded commas and newlines) over generated
 * text: counts rows and fields, sums integer fields, hashes string fields. */
#include "kernel.h"

#define MAXBYTES (1 << 21)
static char text[MAXBYTES];

static size_t generate(size_t len) {
    static const char *words[] = {"alpha", "beta", "gamma", "delta, inc.", "say \"hi\"", "x", "multi\nline", ""};
    lcg_t g = {17};
    size_t i = 0;
    while (i + 200 < len) {
        int cols = 3 + (int) (lcg_next(&g) % 6);
        for (int c = 0; c < cols; c++) {
            uint32_t r = lcg_next(&g);
            if (c) text[i++] = ',';
            if (r % 3 == 0) {
                i += (size_t) snprintf(text + i, 16, "%d", (int) (r >> 4) % 200000 - 100000);
            } else {
                const char *w = words[(r >> 8) % 8];
                int quote = strpbrk(w, ",\"\n") != NULL || (r >> 12) % 4 == 0;
                if (quote) text[i++] = '"';
                for (const char *p = w; *p; p++) {
                    if (*p == '"') text[i++] = '"';
                    text[i++] = *p;
                }
                if (quote) text[i++] = '"';
            }
        }
        text[i++] = '\n';
    }
    return i;
}

static NOINLINE uint32_t parse(const char *p, size_t len) {
    uint32_t rows = 0, fields = 0, quoted = 0, strhash = CHECKSUM_SEED;
    int64_t sum = 0;
    size_t i = 0;
    while (i < len) {
        /* one field */
        fields++;
        if (p[i] == '"') {
            quoted++;
            i++;
            for (;;) {
                if (i >= len) break;
                char c = p[i++];
                if (c == '"') {
                    if (i < len && p[i] == '"') {
                        strhash = mix32(strhash, '"');
                        i++;
                        continue;
                    }
                    break;
                }
                strhash = mix32(strhash, (uint8_t) c);
            }
        } else {
            int neg = 0, numeric = 1, digits = 0;
            int64_t v = 0;
            size_t start = i;
            if (i < len && p[i] == '-') {
                neg = 1;
                i++;
            }
            while (i < len && p[i] != ',' && p[i] != '\n') {
                char c = p[i++];
                if (c >= '0' && c <= '9') {
                    v = v * 10 + (c - '0');
                    digits++;
                } else {
                    numeric = 0;
                }
            }
            if (numeric && digits) sum += neg ? -v : v;
            else for (size_t k = start; k < i; k++) strhash = mix32(strhash, (uint8_t) p[k]);
        }
        if (i < len && p[i] == ',') {
            i++;
        } else {
            rows++;
            i++; /* newline */
        }
    }
    uint32_t h = CHECKSUM_SEED;
    h = mix32(h, rows); h = mix32(h, fields); h = mix32(h, quoted);
    h = mix64(h, (uint64_t) sum);
    return mix32(h, strhash);
}

KERNEL("csv", 256) {
    size_t want = (size_t) n * 4096;
    int rounds = 4;
    if (want > MAXBYTES - 256) {  /* beyond the buffer: more rounds */
        rounds = (int) (4 * (want / MAXBYTES + 1));
        want = MAXBYTES - 256;
    }
    size_t len = generate(want);
    uint32_t h = CHECKSUM_SEED;
    for (int rep = 0; rep < rounds; rep++) h = mix32(h, parse(text, len - (size_t) (rep % 4 == 3)));
    return h;
}
