package dev.isthmus.demo;

import java.util.ArrayDeque;
import java.util.Deque;

/** Plain Java versions of the demo functions, written independently of the machine code they check. */
final class JavaReference {
    private JavaReference() {
    }

    /** Ackermann with an explicit stack of pending {@code m}s (no Java recursion, so no stack limit). */
    static int ackermann(int m, int n) {
        Deque<Integer> pending = new ArrayDeque<>();
        pending.push(m);
        int value = n;
        while (!pending.isEmpty()) {
            int top = pending.pop();
            if (top == 0) {
                value = value + 1;
            } else if (value == 0) {
                pending.push(top - 1);
                value = 1;
            } else {
                pending.push(top - 1);
                pending.push(top);
                value = value - 1;
            }
        }
        return value;
    }

    /** fib(n) modulo 2^64, by the definition. */
    static long fib(int n) {
        long a = 0;
        long b = 1;
        for (int i = 0; i < n; i++) {
            long next = a + b;
            a = b;
            b = next;
        }
        return a;
    }
}
