package dev.isthmus.os;

/**
 * A libc call failed. Carries the call (name and arguments, as text) and the {@code errno} it left, with both the
 * symbolic name ({@code EINVAL}) and the C library's description ({@code strerror}).
 *
 * <p>Example message: {@code mprotect(0x7f12a0000000, 4096, PROT_READ|PROT_EXEC) failed: EINVAL (22): Invalid argument}.
 */
public final class OsException extends RuntimeException {
    private final String call;
    private final int errno;

    /**
     * @param call the call as it was made, e.g. {@code "munmap(0x7f0000001000, 4096)"}
     * @param errno the errno value left by the call
     */
    public OsException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno) + " (" + errno + "): " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The failed call as text: name and arguments. */
    public String call() {
        return call;
    }

    /** The errno the call left. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code "EINVAL"}, or {@code "errno 1234"} when unknown. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
