package dev.isthmus.model;

/** The bytes (or text) are not a well-formed module: the spec's "malformed" (assert_malformed). */
public class MalformedModuleException extends ModuleException {
    public MalformedModuleException(String reason, String section, long offset, int functionIndex) {
        super(reason, section, offset, functionIndex, null);
    }

    public MalformedModuleException(String reason, long offset) {
        super(reason, null, offset, -1, null);
    }
}
