package dev.isthmus.compiler.machine.sequences;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.isthmus.compiler.machine.sequences.ParallelMoves.NOT_A_LOCATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The order {@link ParallelMoves} emits, recorded by a mover that also runs the moves on a model of the locations:
 * general-purpose registers 0..15, xmm registers 16..31, stack slots below zero, scratch r10 (10) and xmm15 (31).
 */
class ParallelMovesTest {
    private static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSI = 6, RDI = 7, R8 = 8, R10 = 10;
    private static final int XMM0 = 16, XMM1 = 17, XMM2 = 18, XMM15 = 31;
    private static final int N = NOT_A_LOCATION;

    /** Records "dst<-src" and "dst<-#index"; keeps the value of each location (initially its own number). */
    private static final class Recorder implements ParallelMoves.Mover {
        final List<String> log = new ArrayList<>();
        final Map<Integer, Integer> values = new HashMap<>();
        final int[] dst;

        Recorder(int[] dst) {
            this.dst = dst;
        }

        int value(int location) {
            return values.getOrDefault(location, location);
        }

        @Override
        public void move(int to, int from) {
            assertEquals(false, to == from, "self-move");
            log.add(name(to) + "<-" + name(from));
            values.put(to, value(from));
        }

        @Override
        public void materialise(int index, int to) {
            log.add(name(to) + "<-#" + index);
            values.put(to, 1000 + index);
        }

        @Override
        public int scratch(int index) {
            return dst[index] >= XMM0 ? XMM15 : R10;
        }
    }

    private static String name(int location) {
        if (location < 0) return "s" + (-1 - location);
        if (location >= XMM0) return "x" + (location - XMM0);
        return "r" + location;
    }

    /** Runs the moves, checks every destination got its source's original value, returns the log. */
    private static List<String> run(int[] dst, int[] src) {
        Recorder r = new Recorder(dst);
        ParallelMoves.emit(dst, src, r);
        for (int i = 0; i < dst.length; i++) {
            int expected = src[i] == N ? 1000 + i : src[i];
            assertEquals(expected, r.value(dst[i]), "destination " + name(dst[i]) + " of move " + i);
        }
        return r.log;
    }

    @Test
    void independentMovesInOrder() {
        assertEquals(List.of("r7<-r0", "r6<-r1"), run(new int[] {RDI, RSI}, new int[] {RAX, RCX}));
    }

    @Test
    void selfMovesAreDropped() {
        assertEquals(List.of("r6<-r1"), run(new int[] {RDI, RSI, XMM0}, new int[] {RDI, RCX, XMM0}));
        assertEquals(List.of(), run(new int[] {-3}, new int[] {-3}));
    }

    @Test
    void swapSavesTheFirstDestination() {
        assertEquals(List.of("r10<-r7", "r7<-r6", "r6<-r10"), run(new int[] {RDI, RSI}, new int[] {RSI, RDI}));
    }

    @Test
    void threeCycle() {
        // rdi <- rsi <- rdx <- rdi
        assertEquals(List.of("r10<-r7", "r7<-r6", "r6<-r2", "r2<-r10"),
                run(new int[] {RDI, RSI, RDX}, new int[] {RSI, RDX, RDI}));
    }

    @Test
    void chainStartsAtTheDestinationNobodyReads() {
        // rdi <- rsi, rsi <- rdx, rdx <- rcx: rdi is read by nobody
        assertEquals(List.of("r7<-r6", "r6<-r2", "r2<-r1"),
                run(new int[] {RDI, RSI, RDX}, new int[] {RSI, RDX, RCX}));
        // given the other way round: the same order, the search restarting from the first move each time
        assertEquals(List.of("r7<-r6", "r6<-r2", "r2<-r1"),
                run(new int[] {RDX, RSI, RDI}, new int[] {RCX, RDX, RSI}));
    }

    @Test
    void firstFreeMoveRestartsFromTheStart() {
        // 0 waits for 1; after 1, 0 is free again and comes before 2
        assertEquals(List.of("r2<-r7", "r7<-r6", "r3<-r8"),
                run(new int[] {RDI, RDX, RBX}, new int[] {RSI, RDI, R8}));
    }

    @Test
    void javadocExample() {
        assertEquals(List.of("r2<-r1", "r1<-#3", "r10<-r7", "r7<-r6", "r6<-r10"),
                run(new int[] {RDI, RSI, RDX, RCX}, new int[] {RSI, RDI, RCX, N}));
    }

    @Test
    void swapWithAChainHangingOff() {
        // rdi <-> rsi, and rdx reads rdi: rdx is read first, the cycle after
        assertEquals(List.of("r2<-r7", "r10<-r7", "r7<-r6", "r6<-r10"),
                run(new int[] {RDI, RSI, RDX}, new int[] {RSI, RDI, RDI}));
    }

    @Test
    void fanOut() {
        // one source to several destinations, one of them overwriting the source
        assertEquals(List.of("r6<-r7", "r2<-r7", "r7<-r1"),
                run(new int[] {RDI, RSI, RDX}, new int[] {RCX, RDI, RDI}));
        // fan-out from a register in a cycle
        assertEquals(List.of("r2<-r7", "r1<-r7", "r10<-r7", "r7<-r6", "r6<-r10"),
                run(new int[] {RDI, RSI, RDX, RCX}, new int[] {RSI, RDI, RDI, RDI}));
    }

    @Test
    void mixedClassesUseTheirOwnScratch() {
        // a gpr swap and an xmm swap in one move
        assertEquals(List.of("r10<-r7", "r7<-r6", "r6<-r10", "x15<-x0", "x0<-x1", "x1<-x15"),
                run(new int[] {RDI, XMM0, RSI, XMM1}, new int[] {RSI, XMM1, RDI, XMM0}));
        // an xmm three-cycle first in the list
        assertEquals(List.of("x15<-x0", "x0<-x1", "x1<-x2", "x2<-x15"),
                run(new int[] {XMM0, XMM1, XMM2}, new int[] {XMM1, XMM2, XMM0}));
    }

    @Test
    void immediatesWaitForTheirDestination() {
        // rdi <- #0 must wait until rsi has read rdi
        assertEquals(List.of("r6<-r7", "r7<-#0"), run(new int[] {RDI, RSI}, new int[] {N, RDI}));
        // an immediate into a free register comes in order
        assertEquals(List.of("r7<-#0", "r6<-r2"), run(new int[] {RDI, RSI}, new int[] {N, RDX}));
        // immediates are materialised before a cycle is broken
        assertEquals(List.of("r2<-#2", "x0<-#3", "r10<-r7", "r7<-r6", "r6<-r10"),
                run(new int[] {RDI, RSI, RDX, XMM0}, new int[] {RSI, RDI, N, N}));
    }

    @Test
    void stackSlots() {
        // slot to register, register to slot, slot to slot
        assertEquals(List.of("s0<-r7", "r7<-s1", "s2<-s3"),
                run(new int[] {RDI, -1, -3}, new int[] {-2, RDI, -4}));
        // a swap between a register and a slot
        assertEquals(List.of("r10<-s0", "s0<-r6", "r6<-r10"), run(new int[] {-1, RSI}, new int[] {RSI, -1}));
        // an immediate into a slot
        assertEquals(List.of("s5<-#0", "r0<-r1"), run(new int[] {-6, RAX}, new int[] {N, RCX}));
    }

    @Test
    void randomPermutationsEndRight() {
        Random random = new Random(42);
        int[] pool = {RAX, RCX, RDX, RBX, RSI, RDI, R8, 9, XMM0, XMM1, XMM2, 19, -1, -2, -3};
        for (int round = 0; round < 2000; round++) {
            int n = 1 + random.nextInt(8);
            List<Integer> free = new ArrayList<>();
            for (int p : pool) free.add(p);
            java.util.Collections.shuffle(free, random);
            int[] dst = new int[n];
            int[] src = new int[n];
            for (int i = 0; i < n; i++) {
                dst[i] = free.get(i);
                int s = random.nextInt(6);
                src[i] = s == 0 ? N : pool[random.nextInt(pool.length)];
            }
            // keep each move within one class (general-purpose / slot, or xmm), as the tiers do
            for (int i = 0; i < n; i++) {
                if (src[i] != N && (src[i] >= XMM0) != (dst[i] >= XMM0)) src[i] = dst[i];
            }
            run(dst, src);
        }
    }

    /**
     * Above {@link ParallelMoves#SCAN_LIMIT} moves the indexed algorithm runs: it must emit exactly the moves of the
     * scan, in the same order (the listings do not change with the number of moves), and end right.
     */
    @Test
    void theIndexedAlgorithmEmitsWhatTheScanEmits() {
        Random random = new Random(7);
        for (int round = 0; round < 3000; round++) {
            int n = 1 + random.nextInt(round < 2000 ? 40 : 300);
            int locations = n + random.nextInt(2 * n + 1);
            // general-purpose registers but the scratch r10, then stack slots: one class, scratch r10
            List<Integer> pool = new ArrayList<>();
            for (int l = 0; l < locations; l++) pool.add(l < 15 ? (l < R10 ? l : l + 1) : -1 - l);
            java.util.Collections.shuffle(pool, random);
            int[] dst = new int[n];
            int[] src = new int[n];
            for (int i = 0; i < n; i++) {
                dst[i] = pool.get(i);
                src[i] = random.nextInt(8) == 0 ? N : pool.get(random.nextInt(Math.min(pool.size(), n + 3)));
                if (random.nextInt(10) == 0) src[i] = dst[i];                   // a self-move, dropped
            }
            Recorder scan = new Recorder(dst);
            Recorder indexed = new Recorder(dst);
            ParallelMoves.emit(dst, src, scan, Integer.MAX_VALUE);
            ParallelMoves.emit(dst, src, indexed, 0);
            assertEquals(scan.log, indexed.log, "round " + round);
            for (int i = 0; i < n; i++) {
                int expected = src[i] == N ? 1000 + i : src[i];
                assertEquals(expected, indexed.value(dst[i]), "round " + round + ", move " + i);
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> ParallelMoves.emit(new int[] {RDI, RDI}, new int[] {RAX, RCX}, new Recorder(new int[2]), 0));
    }

    @Test
    void rejectsDuplicateDestinations() {
        assertThrows(IllegalArgumentException.class, () -> run(new int[] {RDI, RDI}, new int[] {RAX, RCX}));
    }
}
