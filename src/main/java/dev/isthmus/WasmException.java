package dev.isthmus;

/**
 * Base of every error a user can catch from compiling, instantiating or calling WebAssembly:
 *
 * <pre>
 *   WasmException
 *   ├─ ModuleRejectedException      compile: the module is refused, with reason and location
 *   │  ├─ MalformedModuleException  the bytes or text do not decode or parse (spec: "malformed")
 *   │  ├─ InvalidModuleException    the module does not validate (spec: "invalid")
 *   │  └─ CodeFileRejectedException deserialize: not a code file, damaged, another build/options/CPU
 *   ├─ UnsupportedFeatureException  compile: valid, but uses something Isthmus does not compile yet (SIMD, GC)
 *   ├─ UnlinkableException          instantiate: an import is missing or has the wrong type
 *   ├─ UninstantiableException      instantiate: a segment does not fit or the start function trapped
 *   ├─ WasmTrap                     call: the wasm code trapped (kind, message, wasm backtrace)
 *   ├─ WasmThrow                    call: a wasm exception no wasm handler caught (tag, payload); also exnref
 *   └─ HostException                call: a host function threw a checked exception (the cause; wasm backtrace)
 * </pre>
 *
 * The cause, when there is one, is Isthmus's internal exception (for {@link HostException}: the host function's
 * exception); it is for bug reports, not for handling. An unchecked exception or error thrown by a host function is
 * not wrapped: it reaches the caller of the wasm function unchanged, with a suppressed {@link WasmBacktrace}.
 */
public abstract sealed class WasmException extends RuntimeException
        permits ModuleRejectedException, UnsupportedFeatureException, UnlinkableException, UninstantiableException,
        WasmTrap, WasmThrow, HostException {
    private static final long serialVersionUID = 1L;

    WasmException(String message, Throwable cause) {
        super(message, cause);
    }
}
