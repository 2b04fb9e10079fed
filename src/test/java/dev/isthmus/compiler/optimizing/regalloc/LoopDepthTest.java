package dev.isthmus.compiler.optimizing.regalloc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link LoopDepth} on small control-flow graphs given as successor lists (block 0 the entry). */
class LoopDepthTest {
    private static int[] depths(int[]... successors) {
        return LoopDepth.of(List.of(successors));
    }

    @Test
    void straightLineAndBranchesHaveNoLoops() {
        assertArrayEquals(new int[] {0, 0, 0, 0}, depths(new int[] {1, 2}, new int[] {3}, new int[] {3}, new int[0]));
    }

    @Test
    void nestedLoops() {
        // 0 -> 1 (outer header) -> 2 (inner header) -> 3 (inner latch: back to 2, or on to 4)
        // 4 (outer latch: back to 1, or on to 5) -> 5 exit; 6 unreachable
        int[] d = depths(new int[] {1}, new int[] {2}, new int[] {3}, new int[] {2, 4}, new int[] {1, 5},
                new int[0], new int[] {1});
        assertArrayEquals(new int[] {0, 1, 2, 2, 1, 0, 0}, d);
    }

    @Test
    void selfLoopAndSiblingLoops() {
        // 1 loops on itself; 2 -> 3 -> 2 is a second loop after it; an if inside the second loop (3 -> 4 | 5 -> 6)
        int[] d = depths(new int[] {1}, new int[] {1, 2}, new int[] {3}, new int[] {4, 5}, new int[] {6},
                new int[] {6}, new int[] {2, 7}, new int[0]);
        assertArrayEquals(new int[] {0, 1, 1, 1, 1, 1, 1, 0}, d);
    }

    @Test
    void irreducibleEntryIsNotFollowed() {
        // 0 -> 1 | 2; 1 -> 2; 2 -> 1 (two entries into the 1-2 cycle): one of them is a loop header of depth 1,
        // and nothing gets a depth above 1
        int[] d = depths(new int[] {1, 2}, new int[] {2}, new int[] {1, 3}, new int[0]);
        for (int x : d) assertEquals(true, x <= 1, "depth " + x);
        assertEquals(0, d[0]);
        assertEquals(0, d[3]);
    }

    @Test
    void deepNestingIsLinear() {
        // n loops nested one in another: header k -> k+1, the innermost latches back, each level's latch after it
        int n = 20_000;
        List<int[]> succ = new ArrayList<>();
        succ.add(new int[] {1});                                   // 0: entry
        for (int k = 1; k <= n; k++) succ.add(new int[] {k + 1});  // 1..n: headers
        // n+1 .. 2n: latch of level n-j+1 (innermost first), back to its header or on
        for (int j = 0; j < n; j++) {
            int header = n - j;
            succ.add(new int[] {header, n + 2 + j});
        }
        succ.add(new int[0]);                                      // 2n+1: exit
        long start = System.nanoTime();
        int[] d = LoopDepth.of(succ);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(n, d[n], "innermost header");
        assertEquals(n, d[n + 1], "innermost latch");
        assertEquals(1, d[2 * n], "outermost latch");
        assertEquals(0, d[2 * n + 1]);
        assertEquals(true, millis < 2000, "took " + millis + " ms");
    }
}
