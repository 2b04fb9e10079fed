package dev.isthmus.runtime.stack;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.isthmus.os.NativeCall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc pieces of per-OS-thread state: {@code pthread_key_create} (called once, from Java) and the addresses of
 * {@code pthread_getspecific}, {@code pthread_setspecific} and {@code sigaltstack}, which generated code calls
 * directly.
 */
final class PthreadKey {
    private PthreadKey() {
    }

    /** {@code pthread_key_create(&key, destructor)}; returns the key. */
    static int create(long destructorAddress) {
        MethodHandle create = NativeCall.handle(address("pthread_key_create"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(JAVA_INT);
            int rc = (int) (long) create.invokeExact(key.address(), destructorAddress, 0L, 0L, 0L, 0L);
            if (rc != 0) {
                throw new IllegalStateException("pthread_key_create failed: error " + rc);
            }
            return key.get(JAVA_INT, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("pthread_key_create threw", t);
        }
    }

    /** The address of libc function {@code name}. */
    static long address(String name) {
        return NativeCall.symbol(name);
    }
}
