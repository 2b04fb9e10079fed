package dev.isthmus.compiler;

import java.util.function.Supplier;

/**
 * Runs a piece of a test with a system property set, restoring its previous value (or its absence) afterwards: the
 * compiler reads some measurement and test switches ({@code isthmus.tier}, {@code isthmus.stripMining.*}) while a
 * module is compiled.
 */
public final class WithProperty {
    private WithProperty() {
    }

    /** {@code body}'s result, computed while {@code key} is {@code value}. */
    public static <T> T get(String key, String value, Supplier<T> body) {
        String previous = System.setProperty(key, value);
        try {
            return body.get();
        } finally {
            if (previous == null) System.clearProperty(key);
            else System.setProperty(key, previous);
        }
    }
}
