/* A ChaCha20-style stream cipher: 20 rounds of 32-bit add-rotate-xor quarter rounds per 64-byte block, the
 * keystream xored into a buffer, then decrypted again and compared. */
#include "kernel.h"

#define MAXBYTES (1 << 20)
static uint8_t buffer[MAXBYTES], original[MAXBYTES];

static inline uint32_t rotl32(uint32_t v, unsigned s) {
    return (v << s) | (v >> (32 - s));
}

#define QR(a, b, c, d)                                                   \
    a += b; d ^= a; d = rotl32(d, 16);                                   \
    c += d; b ^= c; b = rotl32(b, 12);                                   \
    a += b; d ^= a; d = rotl32(d, 8);                                    \
    c += d; b ^= c; b = rotl32(b, 7)

static void block(const uint32_t in[16], uint32_t out[16]) {
    uint32_t x[16];
    for (int i = 0; i < 16; i++) x[i] = in[i];
    for (int i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++) out[i] = x[i] + in[i];
}

static NOINLINE void chacha_xor(uint8_t *p, size_t len, const uint32_t key[8], uint32_t nonce) {
    uint32_t state[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    for (int i = 0; i < 8; i++) state[4 + i] = key[i];
    state[12] = 0;
    state[13] = nonce;
    state[14] = ~nonce;
    state[15] = 0x01234567;
    uint32_t ks[16];
    for (size_t off = 0; off < len; off += 64) {
        block(state, ks);
        state[12]++;
        size_t m = len - off < 64 ? len - off : 64;
        for (size_t i = 0; i < m; i++) p[off + i] ^= (uint8_t) (ks[i / 4] >> (8 * (i % 4)));
    }
}

KERNEL("chacha20", 128) {
    size_t len = (size_t) n * 1024 + 13;
    uint32_t rounds = 1;
    if (len > MAXBYTES) {  /* beyond the buffer: more rounds */
        rounds = (uint32_t) (len / MAXBYTES);
        len = MAXBYTES;
    }
    lcg_t g = {19};
    uint32_t key[8];
    for (int i = 0; i < 8; i++) key[i] = lcg_next(&g);
    for (size_t i = 0; i < len; i++) original[i] = buffer[i] = (uint8_t) lcg_next(&g);
    uint32_t h = CHECKSUM_SEED;
    chacha_xor(buffer, len, key, 1);
    for (size_t i = 0; i < len; i += 13) h = mix32(h, buffer[i]);
    chacha_xor(buffer, len, key, 1);
    h = mix32(h, memcmp(buffer, original, len) == 0);
    for (uint32_t r = 0; r < rounds; r++) chacha_xor(buffer, len, key, 2 + r);
    for (size_t i = 0; i < len; i += 7) h = mix32(h, buffer[i]);
    return h;
}
