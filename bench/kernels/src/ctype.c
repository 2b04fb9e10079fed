/* A ctype-style byte-class scanner: classifies each byte of generated text through a class table and counts
 * words, numbers (with their values), identifiers, punctuation and lines, as a tokenizer's first pass does. */
#include "kernel.h"

#define MAXBYTES (1 << 21)
static uint8_t text[MAXBYTES];
enum { C_SPACE = 1, C_DIGIT = 2, C_LOWER = 4, C_UPPER = 8, C_PUNCT = 16, C_NEWLINE = 32, C_UNDERSCORE = 64 };
static uint8_t cls[256];

static void init_classes(void) {
    for (int c = 0; c < 256; c++) {
        uint8_t k = 0;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') k |= C_SPACE;
        if (c == '\n') k |= C_SPACE | C_NEWLINE;
        if (c >= '0' && c <= '9') k |= C_DIGIT;
        if (c >= 'a' && c <= 'z') k |= C_LOWER;
        if (c >= 'A' && c <= 'Z') k |= C_UPPER;
        if (c == '_') k |= C_UNDERSCORE;
        if (c > 32 && c < 127 && !(k & (C_DIGIT | C_LOWER | C_UPPER | C_UNDERSCORE))) k |= C_PUNCT;
        cls[c] = k;
    }
}

static void generate(size_t len) {
    static const char punct[] = "+-*/=<>(){}[];,.!&|^%~?:";
    lcg_t g = {5};
    size_t i = 0;
    while (i < len) {
        uint32_t r = lcg_next(&g);
        uint32_t kind = r % 10, wl = 1 + (r >> 8) % 9;
        for (uint32_t k = 0; k < wl && i < len; k++) {
            uint32_t s = lcg_next(&g);
            char c;
            if (kind < 4) c = (char) ('a' + s % 26);
            else if (kind < 6) c = (char) ('0' + s % 10);
            else if (kind < 7) c = (char) (s & 1 ? 'A' + s % 26 : '_');
            else if (kind < 9) c = punct[s % (sizeof punct - 1)];
            else c = (char) (128 + s % 128);
            text[i++] = (uint8_t) c;
        }
        if (i < len) text[i++] = (r >> 20) % 8 == 0 ? '\n' : ' ';
    }
}

static NOINLINE uint32_t scan(const uint8_t *p, size_t len) {
    uint32_t words = 0, numbers = 0, idents = 0, puncts = 0, lines = 0, other = 0;
    uint32_t numsum = 0;
    size_t i = 0;
    while (i < len) {
        uint8_t k = cls[p[i]];
        if (k & C_SPACE) {
            lines += (k & C_NEWLINE) != 0;
            i++;
        } else if (k & C_DIGIT) {
            uint32_t v = 0;
            while (i < len && (cls[p[i]] & C_DIGIT)) v = v * 10 + (uint32_t) (p[i++] - '0');
            numbers++;
            numsum += v;
        } else if (k & (C_LOWER | C_UPPER | C_UNDERSCORE)) {
            int ident = (k & (C_UPPER | C_UNDERSCORE)) != 0;
            while (i < len && (cls[p[i]] & (C_LOWER | C_UPPER | C_UNDERSCORE | C_DIGIT))) {
                ident |= (cls[p[i]] & (C_UPPER | C_UNDERSCORE | C_DIGIT)) != 0;
                i++;
            }
            if (ident) idents++;
            else words++;
        } else if (k & C_PUNCT) {
            puncts++;
            i++;
        } else {
            other++;
            i++;
        }
    }
    uint32_t h = CHECKSUM_SEED;
    h = mix32(h, words); h = mix32(h, numbers); h = mix32(h, idents);
    h = mix32(h, puncts); h = mix32(h, lines); h = mix32(h, other);
    return mix32(h, numsum);
}

KERNEL("ctype", 256) {
    size_t len = (size_t) n * 4096;
    int rounds = 4;
    if (len > MAXBYTES) {  /* beyond the buffer: more rounds */
        rounds = (int) (4 * (len / MAXBYTES));
        len = MAXBYTES;
    }
    init_classes();
    generate(len);
    uint32_t h = CHECKSUM_SEED;
    for (int rep = 0; rep < rounds; rep++) h = mix32(h, scan(text + rep % 4, len - (size_t) (rep % 4)));
    return h;
}
