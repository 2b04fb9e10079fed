package dev.isthmus.runtime.signal;

/**
 * A range registered in one of the {@link FaultTables}; {@link #close()} removes it (idempotent). After close
 * returns, the signal shim no longer sees the range.
 */
public final class Registration implements AutoCloseable {
    private final NativeRangeTable table;
    private final long start;
    private final long end;
    private boolean closed;

    Registration(NativeRangeTable table, long start, long end) {
        this.table = table;
        this.start = start;
        this.end = end;
    }

    /** First address of the range. */
    public long start() {
        return start;
    }

    /** First address after the range. */
    public long end() {
        return end;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            table.remove(start);
        }
    }
}
