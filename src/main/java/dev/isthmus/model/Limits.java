package dev.isthmus.model;

/**
 * Size limits of a memory (in 64 KiB pages) or a table (in elements).
 *
 * @param min the initial size
 * @param max the maximum size, or {@link #NO_MAX} when absent
 */
public record Limits(long min, long max) {
    public static final long NO_MAX = -1;

    public boolean hasMax() {
        return max != NO_MAX;
    }

    @Override
    public String toString() {
        return hasMax() ? min + " " + max : Long.toString(min);
    }
}
