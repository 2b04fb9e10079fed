package dev.isthmus.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AckermannLimitsTest {
    @Test
    void boundedResultsMatchTheDefinition() {
        for (int m = 0; m <= 3; m++) {
            for (int n = 0; n <= 9; n++) {
                assertEquals(JavaReference.ackermann(m, n), AckermannLimits.resultWithinLimit(m, n), m + ", " + n);
            }
        }
        assertEquals(13, AckermannLimits.resultWithinLimit(4, 0));
        assertEquals(65533, AckermannLimits.resultWithinLimit(4, 1));
        assertEquals(65533, AckermannLimits.resultWithinLimit(5, 0));
        assertEquals(131069, AckermannLimits.resultWithinLimit(3, 14));
    }

    @Test
    void givesUpBeyondTheLimit() {
        assertEquals(-1, AckermannLimits.resultWithinLimit(3, 15));
        assertEquals(-1, AckermannLimits.resultWithinLimit(4, 2));
        assertEquals(-1, AckermannLimits.resultWithinLimit(5, 1));
        assertEquals(-1, AckermannLimits.resultWithinLimit(6, 0));
        assertEquals(-1, AckermannLimits.resultWithinLimit(0, AckermannLimits.MAX_RESULT));
        assertEquals(-1, AckermannLimits.resultWithinLimit(Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> AckermannLimits.resultWithinLimit(-1, 0));
    }

    /** The stack estimate relies on "nesting depth <= result"; check it by running the loop form with a depth count. */
    @Test
    void nestingDepthOfTheLoopFormNeverExceedsTheResult() {
        for (int m = 0; m <= 3; m++) {
            for (int n = 0; n <= 7; n++) {
                DepthCounter counter = new DepthCounter();
                int result = counter.ackermann(m, n, 0);
                assertTrue(counter.maxDepth <= result, m + ", " + n + ": depth " + counter.maxDepth);
            }
        }
    }

    /** The hand-assembled control flow, transcribed to Java, counting nested calls. */
    private static final class DepthCounter {
        int maxDepth;

        int ackermann(int m, int n, int depth) {
            maxDepth = Math.max(maxDepth, depth);
            int value = n;
            int mm = m;
            while (mm != 0) {
                value = value == 0 ? 1 : ackermann(mm, value - 1, depth + 1);
                mm--;
            }
            return value + 1;
        }
    }
}
