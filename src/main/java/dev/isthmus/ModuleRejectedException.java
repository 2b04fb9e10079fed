package dev.isthmus;

/**
 * The module was refused before it could run. Says why and where: {@link #reason()} is the bare description, worded
 * as the spec test suite words it where it has a wording ("unexpected end", "type mismatch"); {@link #getMessage()}
 * adds the location.
 */
public abstract sealed class ModuleRejectedException extends WasmException
        permits MalformedModuleException, InvalidModuleException, CodeFileRejectedException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String section;
    private final long offset;
    private final int functionIndex;

    ModuleRejectedException(String message, String reason, String section, long offset, int functionIndex,
                            Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.section = section;
        this.offset = offset;
        this.functionIndex = functionIndex;
    }

    /** The description alone, without location. */
    public String reason() {
        return reason;
    }

    /** The section the problem is in, or null. */
    public String section() {
        return section;
    }

    /** The byte offset in the module binary, or -1. */
    public long offset() {
        return offset;
    }

    /** The function index (in the function index space), or -1. */
    public int functionIndex() {
        return functionIndex;
    }
}
