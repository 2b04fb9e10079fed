package dev.isthmus.serialize;

/**
 * A code file that cannot be loaded (or a module that cannot be written as one): {@link #kind()} says why,
 * {@link #section()} and {@link #offset()} where in the file (when the file is at fault). Internal: the API turns
 * it into {@code dev.isthmus.CodeFileRejectedException}.
 */
public final class CodeFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a code file was refused. */
    public enum Kind {
        /** Not a code file at all (no magic): a caller that also takes wasm should look at it as wasm. */
        NOT_A_CODE_FILE,
        /** Truncated, a checksum mismatch, or a structure that does not hold together. */
        CORRUPT,
        /** Another format version or another build of the engine wrote it. */
        ENGINE_VERSION,
        /** Compiled with other compiler options (or another wasm stack geometry) than the loading engine's. */
        COMPILER_OPTIONS,
        /** The code uses CPU features this machine lacks. */
        CPU_FEATURES,
        /** The code's type-id checks cannot hold this process's canonical type ids. */
        TYPE_IDS,
        /** The module cannot be written as a code file (writing only). */
        NOT_SERIALIZABLE
    }

    private final Kind kind;
    private final String reason;
    private final String section;
    private final long offset;

    public CodeFileException(Kind kind, String reason, String section, long offset) {
        super(message(reason, section, offset));
        this.kind = kind;
        this.reason = reason;
        this.section = section;
        this.offset = offset;
    }

    public CodeFileException(Kind kind, String reason) {
        this(kind, reason, null, -1);
    }

    private static String message(String reason, String section, long offset) {
        if (section == null && offset < 0) return "code file: " + reason;
        return "code file: " + reason + " (" + (section != null ? "section " + section : "")
                + (section != null && offset >= 0 ? ", " : "") + (offset >= 0 ? "at byte " + offset : "") + ")";
    }

    public Kind kind() {
        return kind;
    }

    /** The description without the location. */
    public String reason() {
        return reason;
    }

    /** The file section at fault, or null. */
    public String section() {
        return section;
    }

    /** The byte offset in the file, or -1. */
    public long offset() {
        return offset;
    }
}
