package dev.isthmus.wasi;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;

/** The four preview1 clocks, in nanoseconds. */
final class Clocks {
    private Clocks() {
    }

    static long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The clock's current time; EINVAL for an unknown clock id. */
    static long now(int clockId) {
        return switch (clockId) {
            case WasiFlags.CLOCK_REALTIME -> realtimeNanos();
            case WasiFlags.CLOCK_MONOTONIC -> System.nanoTime();
            case WasiFlags.CLOCK_PROCESS_CPUTIME ->
                    ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            case WasiFlags.CLOCK_THREAD_CPUTIME -> ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            default -> throw new WasiErrnoException(Errno.INVAL);
        };
    }

    /** The clock's resolution; EINVAL for an unknown clock id. */
    static long resolution(int clockId) {
        return switch (clockId) {
            case WasiFlags.CLOCK_REALTIME, WasiFlags.CLOCK_MONOTONIC -> 1L;
            case WasiFlags.CLOCK_PROCESS_CPUTIME, WasiFlags.CLOCK_THREAD_CPUTIME -> 1_000L;
            default -> throw new WasiErrnoException(Errno.INVAL);
        };
    }
}
