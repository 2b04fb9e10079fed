package dev.isthmus.wasi;

import java.io.IOException;

/**
 * The body of one WASI function: arguments as the API's Java values (Integer for i32, Long for i64), guest memory
 * for this call, the errno to return. Failures may also be thrown as {@link WasiErrnoException} or IOException.
 */
@FunctionalInterface
interface WasiCall {
    int call(GuestMemory memory, Object[] args) throws IOException;

    static int i32(Object[] args, int index) {
        return (Integer) args[index];
    }

    static long i64(Object[] args, int index) {
        return (Long) args[index];
    }
}
