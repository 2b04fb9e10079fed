package dev.isthmus.binary;

/** The bytes (or text) are not a well-formed module: the spec's "malformed" (assert_malformed). */
public class DecodeException extends ModuleRejection {
    public DecodeException(String reason, String section, long offset, int functionIndex) {
        super(reason, section, offset, functionIndex, null);
    }

    public DecodeException(String reason, long offset) {
        super(reason, null, offset, -1, null);
    }
}
