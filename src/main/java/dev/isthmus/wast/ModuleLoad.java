package dev.isthmus.wast;

import dev.isthmus.InvalidModuleException;
import dev.isthmus.MalformedModuleException;
import dev.isthmus.model.WasmModule;

/**
 * What became of one module of a script on its way through the front end: it loaded (decoded and validated), was
 * rejected as malformed or invalid, or the front end broke (any other exception or error: always a bug).
 */
public sealed interface ModuleLoad {

    /** Decoded and validated; {@code binary} is the encoding it was decoded from. */
    record Loaded(WasmModule module, byte[] binary) implements ModuleLoad {}

    /** Rejected by the text parser or the decoder. */
    record Malformed(MalformedModuleException error) implements ModuleLoad {}

    /** Decoded, then rejected by the validator. */
    record Invalid(InvalidModuleException error) implements ModuleLoad {}

    /** The front end threw something it must never throw. */
    record Broken(Throwable error) implements ModuleLoad {
        /** The throwable's class and message, plus the top frame, for a failure report. */
        public String describe() {
            StringBuilder b = new StringBuilder(error.getClass().getName());
            if (error.getMessage() != null) b.append(": ").append(error.getMessage());
            StackTraceElement[] trace = error.getStackTrace();
            if (trace.length > 0) b.append(" at ").append(trace[0]);
            return b.toString();
        }
    }

    /** A short description for failure messages, e.g. {@code "malformed: unexpected end (...)"}. */
    default String describe() {
        return switch (this) {
            case Loaded l -> "module decoded and validated";
            case Malformed m -> "malformed: " + m.error().getMessage();
            case Invalid i -> "invalid: " + i.error().getMessage();
            case Broken b -> "front end threw " + b.describe();
        };
    }
}
