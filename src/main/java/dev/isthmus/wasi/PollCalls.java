package dev.isthmus.wasi;

import static dev.isthmus.wasi.WasiCall.i32;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code poll_oneoff}: files and output streams are always ready; standard input is ready when bytes are
 * available (or it cannot tell); clock subscriptions wait until their deadline. When some descriptor is ready the
 * call returns at once with those events; otherwise it sleeps until the earliest clock and reports the clocks due.
 *
 * <pre>
 *   subscription (48): 0 userdata u64 | 8 tag u8 | 16 clock id u32 / fd u32 | 24 timeout u64 | 32 precision u64
 *                      | 40 subclockflags u16
 *   event (32):        0 userdata u64 | 8 error u16 | 10 type u8 | 16 nbytes u64 | 24 flags u16
 * </pre>
 */
final class PollCalls {
    private static final int SUBSCRIPTION_SIZE = 48;
    private static final int EVENT_SIZE = 32;

    private PollCalls() {
    }

    private record Event(long userdata, int error, int type, long nbytes) {
    }

    static void register(WasiFunctions f, FdTable fds) {
        f.define("poll_oneoff", "iiii", (m, a) -> poll(m, fds, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3)));
    }

    private static int poll(GuestMemory m, FdTable fds, int in, int out, int count, int resultPtr)
            throws IOException {
        if (count == 0) return Errno.INVAL;
        m.check(in, Integer.toUnsignedLong(count) * SUBSCRIPTION_SIZE);
        m.check(out, Integer.toUnsignedLong(count) * EVENT_SIZE);
        m.check(resultPtr, 4);
        List<Event> ready = new ArrayList<>();
        long now = System.nanoTime();
        long earliest = Long.MAX_VALUE;
        List<long[]> clocks = new ArrayList<>(); // {index, deadline in nanoTime}
        for (int i = 0; i < count; i++) {
            int s = in + i * SUBSCRIPTION_SIZE;
            long userdata = m.i64(s);
            int tag = m.u8(s + 8);
            switch (tag) {
                case WasiFlags.EVENT_CLOCK -> {
                    int clock = m.i32(s + 16);
                    long timeout = m.i64(s + 24);
                    boolean absolute = (m.u16(s + 40) & WasiFlags.SUBCLOCK_ABSTIME) != 0;
                    long current;
                    try {
                        current = Clocks.now(clock);
                    } catch (WasiErrnoException e) {
                        ready.add(new Event(userdata, e.errno, tag, 0));
                        continue;
                    }
                    long delay = absolute ? timeout - current : timeout;
                    long deadline = now + Math.max(0, delay);
                    clocks.add(new long[] {i, deadline});
                    earliest = Math.min(earliest, deadline);
                }
                case WasiFlags.EVENT_FD_READ, WasiFlags.EVENT_FD_WRITE -> ready.add(fdEvent(fds, userdata, tag,
                        m.i32(s + 16)));
                default -> ready.add(new Event(userdata, Errno.INVAL, tag, 0));
            }
        }
        ready.removeIf(e -> e == null);
        if (ready.isEmpty() && !clocks.isEmpty()) {
            long wait;
            while ((wait = earliest - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
        }
        long after = System.nanoTime();
        for (long[] clock : clocks) {
            if (clock[1] <= after) {
                int s = in + (int) clock[0] * SUBSCRIPTION_SIZE;
                ready.add(new Event(m.i64(s), Errno.SUCCESS, WasiFlags.EVENT_CLOCK, 0));
            }
        }
        for (int i = 0; i < ready.size(); i++) {
            Event e = ready.get(i);
            int at = out + i * EVENT_SIZE;
            m.zero(at, EVENT_SIZE);
            m.setI64(at, e.userdata);
            m.setU16(at + 8, e.error);
            m.setU8(at + 10, e.type);
            m.setI64(at + 16, e.nbytes);
        }
        m.setI32(resultPtr, ready.size());
        return Errno.SUCCESS;
    }

    /** The readiness event of one fd subscription, or null when stdin has nothing yet. */
    private static Event fdEvent(FdTable fds, long userdata, int type, int fd) throws IOException {
        Descriptor d;
        try {
            d = fds.get(fd);
            d.require(Rights.POLL_FD_READWRITE);
        } catch (WasiErrnoException e) {
            return new Event(userdata, e.errno, type, 0);
        }
        return switch (d) {
            case FileDescriptor file -> new Event(userdata, Errno.SUCCESS, type,
                    type == WasiFlags.EVENT_FD_READ ? Math.max(0, file.channel.size() - file.channel.position()) : 0);
            case StreamDescriptor s when type == WasiFlags.EVENT_FD_READ -> {
                if (s.in == null) yield new Event(userdata, Errno.BADF, type, 0);
                int available = s.in.available();
                yield new Event(userdata, Errno.SUCCESS, type, Math.max(available, 0));
            }
            case StreamDescriptor s -> new Event(userdata, s.out == null ? Errno.BADF : Errno.SUCCESS, type, 0);
            case DirectoryDescriptor dir -> new Event(userdata, Errno.BADF, type, 0);
        };
    }
}
