/* Base64 encode then decode of a pseudo-random buffer (table lookups, shifts, byte stores). */
#include "kernel.h"

#define MAXBYTES (1 << 20)
static uint8_t input[MAXBYTES], decoded[MAXBYTES];
static char encoded[MAXBYTES / 3 * 4 + 8];
static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static int8_t reverse[256];

static NOINLINE size_t encode(const uint8_t *in, size_t len, char *out) {
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t) in[i] << 16 | (uint32_t) in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t) in[i] << 16 | (i + 1 < len ? (uint32_t) in[i + 1] << 8 : 0);
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    return o;
}

/* Returns the decoded length, or (size_t) -1 on a bad character. */
static NOINLINE size_t decode(const char *in, size_t len, uint8_t *out) {
    size_t o = 0;
    for (size_t i = 0; i + 4 <= len; i += 4) {
        int32_t a = reverse[(uint8_t) in[i]], b = reverse[(uint8_t) in[i + 1]];
        int32_t c = in[i + 2] == '=' ? 0 : reverse[(uint8_t) in[i + 2]];
        int32_t d = in[i + 3] == '=' ? 0 : reverse[(uint8_t) in[i + 3]];
        if ((a | b | c | d) < 0) return (size_t) -1;
        uint32_t v = (uint32_t) a << 18 | (uint32_t) b << 12 | (uint32_t) c << 6 | (uint32_t) d;
        out[o++] = (uint8_t) (v >> 16);
        if (in[i + 2] != '=') out[o++] = (uint8_t) (v >> 8);
        if (in[i + 3] != '=') out[o++] = (uint8_t) v;
    }
    return o;
}

KERNEL("base64", 256) {
    size_t len = (size_t) n * 1024 + 1;
    int rounds = 4;
    if (len > MAXBYTES) {  /* beyond the buffer: more rounds */
        rounds = (int) (4 * (len / MAXBYTES));
        len = MAXBYTES;
    }
    for (int i = 0; i < 256; i++) reverse[i] = -1;
    for (int i = 0; i < 64; i++) reverse[(uint8_t) alphabet[i]] = (int8_t) i;
    lcg_t g = {11};
    for (size_t i = 0; i < len; i++) input[i] = (uint8_t) lcg_next(&g);
    uint32_t h = CHECKSUM_SEED;
    for (int rep = 0; rep < rounds; rep++) {
        input[rep % 4] ^= (uint8_t) rep;
        size_t elen = encode(input, len - (size_t) (rep % 4), encoded);
        size_t dlen = decode(encoded, elen, decoded);
        h = mix32(mix32(h, (uint32_t) elen), (uint32_t) dlen);
        h = mix32(h, dlen == len - (size_t) (rep % 4) && memcmp(decoded, input, dlen) == 0);
        for (size_t i = 0; i < elen; i += 61) h = mix32(h, (uint8_t) encoded[i]);
    }
    return h;
}
