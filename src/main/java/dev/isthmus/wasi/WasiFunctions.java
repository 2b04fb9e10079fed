package dev.isthmus.wasi;

import dev.isthmus.HostFunction;
import dev.isthmus.Imports;
import dev.isthmus.Memory;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Registers WASI functions as host functions of module {@value Wasi#MODULE}. Each returns an errno: a
 * {@link WasiErrnoException} or IOException becomes its errno, any other Java exception EIO (nothing escapes
 * into wasm frames except {@link WasiExit}, which the API rethrows to the caller after unwinding).
 */
final class WasiFunctions {
    private final Imports.Builder imports;
    private final Supplier<Memory> memory;
    private final Set<String> names = new TreeSet<>();

    WasiFunctions(Imports.Builder imports, Supplier<Memory> memory) {
        this.imports = imports;
        this.memory = memory;
    }

    /** Defines {@code name} with parameters per {@code signature} ('i' = i32, 'I' = i64) and an i32 errno result. */
    void define(String name, String signature, WasiCall call) {
        names.add(name);
        imports.function(Wasi.MODULE, name, new FuncType(params(signature), List.of(ValType.I32)), args -> {
            int errno;
            try {
                errno = call.call(new GuestMemory(memory.get()), args);
            } catch (WasiErrnoException e) {
                errno = e.errno;
            } catch (IOException e) {
                errno = IoErrors.errno(e);
            } catch (WasiExit e) {
                throw e;
            } catch (RuntimeException e) {
                errno = e instanceof IndexOutOfBoundsException ? Errno.FAULT : IoErrors.errno(e);
            }
            return new Object[] {errno};
        });
    }

    /** Defines {@code name} with no result (proc_exit). */
    void defineVoid(String name, String signature, HostFunction function) {
        names.add(name);
        imports.function(Wasi.MODULE, name, new FuncType(params(signature), List.of()), function);
    }

    /** The names defined so far. */
    Set<String> names() {
        return Collections.unmodifiableSet(names);
    }

    private static List<ValType> params(String signature) {
        List<ValType> params = new ArrayList<>();
        for (char c : signature.toCharArray()) params.add(c == 'I' ? ValType.I64 : ValType.I32);
        return params;
    }
}
