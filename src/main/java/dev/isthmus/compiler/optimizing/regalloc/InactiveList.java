package dev.isthmus.compiler.optimizing.regalloc;

/**
 * The scan's inactive intervals (in a hole at the scan position), in insertion order, with each one's
 * {@link Interval#boundary} and assigned register copied into parallel arrays so that the per-interval checks of
 * the scan read plain ints instead of following a reference per interval.
 *
 * <pre>
 *   index:     0     1     2   ...  size-1
 *   items:    [v40] [v17] [v93] ...
 *   boundary: [118] [240] [131] ...   next range start of each
 *   register: [ 3 ] [ 17] [ 12] ...   assigned physical register
 * </pre>
 */
final class InactiveList {
    Interval[] items = new Interval[16];
    int[] boundary = new int[16];
    int[] register = new int[16];
    int size;

    void add(Interval i) {
        if (size == items.length) {
            int n = size * 2;
            items = java.util.Arrays.copyOf(items, n);
            boundary = java.util.Arrays.copyOf(boundary, n);
            register = java.util.Arrays.copyOf(register, n);
        }
        items[size] = i;
        boundary[size] = i.boundary;
        register[size] = i.assigned;
        size++;
    }

    /** Removes entry {@code j}, keeping the order of the others. */
    void remove(int j) {
        int tail = size - j - 1;
        System.arraycopy(items, j + 1, items, j, tail);
        System.arraycopy(boundary, j + 1, boundary, j, tail);
        System.arraycopy(register, j + 1, register, j, tail);
        items[--size] = null;
    }
}
