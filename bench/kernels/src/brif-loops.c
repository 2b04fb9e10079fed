/* Nested loops with a branch-heavy body: generations of Conway's life on a torus, each cell's neighbours counted
 * with comparisons and its next state chosen by a chain of conditions, plus per-row statistics. */
#include "kernel.h"

#define SIDE 256
static uint8_t grid[2][SIDE][SIDE];

static NOINLINE uint32_t step(uint8_t (*from)[SIDE], uint8_t (*to)[SIDE]) {
    uint32_t births = 0, deaths = 0, crowded = 0;
    for (int y = 0; y < SIDE; y++) {
        int up = (y + SIDE - 1) % SIDE, down = (y + 1) % SIDE;
        for (int x = 0; x < SIDE; x++) {
            int left = (x + SIDE - 1) % SIDE, right = (x + 1) % SIDE;
            int count = 0;
            if (from[up][left]) count++;
            if (from[up][x]) count++;
            if (from[up][right]) count++;
            if (from[y][left]) count++;
            if (from[y][right]) count++;
            if (from[down][left]) count++;
            if (from[down][x]) count++;
            if (from[down][right]) count++;
            uint8_t alive = from[y][x];
            uint8_t next;
            if (alive) {
                if (count < 2) { next = 0; deaths++; }
                else if (count > 3) { next = 0; deaths++; crowded++; }
                else next = 1;
            } else if (count == 3) {
                next = 1;
                births++;
            } else {
                next = 0;
            }
            to[y][x] = next;
        }
    }
    return mix32(mix32(mix32(CHECKSUM_SEED, births), deaths), crowded);
}

KERNEL("brif-loops", 40) {
    lcg_t g = {37};
    for (int y = 0; y < SIDE; y++)
        for (int x = 0; x < SIDE; x++) grid[0][y][x] = (lcg_next(&g) % 100) < 35;
    uint32_t h = CHECKSUM_SEED;
    for (int32_t gen = 0; gen < n; gen++) {
        h = mix32(h, step(grid[gen & 1], grid[(gen + 1) & 1]));
        if (gen % 16 == 15) { /* reseed a block so the board never dies out */
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++) grid[(gen + 1) & 1][y + gen % 200][x] = (lcg_next(&g) & 3) == 0;
        }
    }
    uint32_t population = 0;
    for (int y = 0; y < SIDE; y++)
        for (int x = 0; x < SIDE; x++) population += grid[n & 1][y][x];
    return mix32(h, population);
}
