package dev.isthmus;

import dev.isthmus.serialize.CodeFileException;

/**
 * A code file ({@link Isthmus#deserialize}) was refused: {@link #kind()} says why — not a code file, damaged
 * (truncated, checksum mismatch, a structure that does not hold together), made by another build of Isthmus, with
 * other compiler options, or for a CPU with features this one lacks. {@link #section()} and {@link #offset()} say
 * where in the file, when the file is at fault. Nothing of a refused file has run.
 */
public final class CodeFileRejectedException extends ModuleRejectedException {
    private static final long serialVersionUID = 1L;

    /** Why a code file was refused. */
    public enum Kind {
        /** The bytes are not a code file (they do not start with its magic). */
        NOT_A_CODE_FILE,
        /** Truncated, damaged (checksum mismatch), or inconsistent. */
        CORRUPT,
        /** Written by another build of Isthmus (or another format version). */
        ENGINE_VERSION,
        /** Compiled with other compiler options than this engine's (or another wasm stack size). */
        COMPILER_OPTIONS,
        /** The code uses CPU features this machine lacks. */
        CPU_FEATURES,
        /**
         * The code's {@code call_indirect} checks hold 8-bit type ids and this process already numbers the types
         * beyond 127 (only files of the first writer: every check has held a 32-bit id since 2026-12-06).
         */
        TYPE_IDS,
        /** The module cannot be written as a code file ({@link CompiledModule#serialize()}). */
        NOT_SERIALIZABLE
    }

    private final Kind kind;

    CodeFileRejectedException(CodeFileException e) {
        super(e.getMessage(), e.reason(), e.section(), e.offset(), -1, e);
        this.kind = Kind.valueOf(e.kind().name());
    }

    CodeFileRejectedException(Kind kind, String reason) {
        super("code file: " + reason, reason, null, -1, -1, null);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
