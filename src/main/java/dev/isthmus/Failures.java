package dev.isthmus;

import dev.isthmus.binary.ModuleRejection;
import dev.isthmus.binary.UnsupportedProposalException;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import dev.isthmus.runtime.trap.TrapException;

/**
 * The API boundary's translation of internal exceptions into the {@link WasmException} family (the internal one
 * becomes the cause; messages are kept).
 */
final class Failures {
    private Failures() {
    }

    /** What a {@link ResourceLimiter} threw, to rethrow unchanged (it throws only unchecked ones). */
    static RuntimeException limiterThrew(dev.isthmus.runtime.memory.GrowLimits.Refusal refusal) {
        Throwable cause = refusal.getCause();
        if (cause instanceof Error error) throw error;
        return cause instanceof RuntimeException unchecked ? unchecked : refusal;
    }

    /** The API exception for a module the front end refused. */
    static ModuleRejectedException rejected(ModuleRejection e) {
        if (e instanceof ValidationException) {
            return new InvalidModuleException(e.getMessage(), e.reason(), e.section(), e.offset(), e.functionIndex(),
                    e);
        }
        return new MalformedModuleException(e.getMessage(), e.reason(), e.section(), e.offset(), e.functionIndex(), e);
    }

    static UnsupportedFeatureException unsupported(UnimplementedFeatureException e) {
        return new UnsupportedFeatureException(e.getMessage(), e);
    }

    /** A well-formed module that uses a proposal Isthmus does not implement (GC). */
    static UnsupportedFeatureException unsupported(UnsupportedProposalException e) {
        return new UnsupportedFeatureException(e.getMessage(), e);
    }

    static WasmTrap trap(TrapException e) {
        return WasmTrap.of(e);
    }

    /**
     * What a call that ended in {@code e} throws: a {@link WasmTrap}, or, when the trap is a host function's
     * exception unwinding the wasm frames, that exception with the frames added — a checked one wrapped in
     * {@link HostException}; an unchecked one or an error itself (thrown from here), with a suppressed
     * {@link WasmBacktrace}; a {@link WasmTrap}, {@link HostException} or an exception that already has a
     * {@link WasmBacktrace} (it crossed an inner entry into wasm) with this entry's frames appended.
     */
    static RuntimeException fromTrap(TrapException e) {
        Throwable thrown = e.hostThrowable();
        if (thrown == null) return WasmTrap.of(e);
        switch (thrown) {
            // a wasm exception no wasm handler caught: the API's exception (the same object for the same exception)
            case dev.isthmus.runtime.host.ThrowSignal signal -> {
                return WasmThrow.of((dev.isthmus.runtime.instance.ExceptionObject) signal.exception());
            }
            case WasmThrow thrownWasm -> {
                return thrownWasm;
            }
            case WasmTrap trap -> {
                trap.trace().append(e);
                return trap;
            }
            case HostException host -> {
                host.trace().append(e);
                return host;
            }
            case RuntimeException unchecked -> throw withBacktrace(unchecked, e);
            case Error error -> throw withBacktrace(error, e);
            default -> {
                return new HostException(thrown, new Backtrace(e));
            }
        }
    }

    private static <T extends Throwable> T withBacktrace(T thrown, TrapException e) {
        var existing = WasmBacktrace.of(thrown);
        if (existing.isPresent()) {
            existing.get().backtrace().append(e);
        } else {
            thrown.addSuppressed(new WasmBacktrace(new Backtrace(e)));
        }
        return thrown;
    }
}
