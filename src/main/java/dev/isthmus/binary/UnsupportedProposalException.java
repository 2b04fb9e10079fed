package dev.isthmus.binary;

import java.util.Map;

/**
 * The module is well-formed Wasm 3.0 but uses a proposal Isthmus does not implement: garbage collection (GC) — its
 * type definitions ({@code rec}, {@code sub}, {@code struct}, {@code array}), its abstract heap types and reference
 * types ({@code any}, {@code eq}, {@code i31}, {@code struct}, {@code array}, {@code none}, {@code nofunc},
 * {@code noextern}) and its instructions (the 0xFB prefix, {@code ref.eq}). Only the 3.0 rules raise it (2.0 calls
 * these bytes malformed). The API reports it as {@code UnsupportedFeatureException}; it is a {@link DecodeException}
 * so that every caller that reads a module still treats it as a rejection before validation.
 */
public final class UnsupportedProposalException extends DecodeException {
    /** The one-byte GC encodings: type-definition forms and abstract heap / reference type shorthands. */
    private static final Map<Integer, String> GC_CODES = Map.ofEntries(
            Map.entry(0x4E, "recursive type group (rec)"), Map.entry(0x4F, "final subtype (sub final)"),
            Map.entry(0x50, "subtype (sub)"), Map.entry(0x5E, "array type"), Map.entry(0x5F, "struct type"),
            Map.entry(0x6E, "heap type any"), Map.entry(0x6D, "heap type eq"), Map.entry(0x6C, "heap type i31"),
            Map.entry(0x6B, "heap type struct"), Map.entry(0x6A, "heap type array"),
            Map.entry(0x71, "heap type none"), Map.entry(0x72, "heap type noextern"),
            Map.entry(0x73, "heap type nofunc"));

    public UnsupportedProposalException(String reason, String section, long offset, int functionIndex) {
        super(reason, section, offset, functionIndex);
    }

    /** GC's reference type shorthands (the same bytes as the abstract heap types). */
    private static final Map<Integer, String> GC_REFERENCE_TYPES = Map.of(0x6E, "anyref", 0x6D, "eqref",
            0x6C, "i31ref", 0x6B, "structref", 0x6A, "arrayref", 0x71, "nullref", 0x72, "nullexternref",
            0x73, "nullfuncref");

    /** What GC construct the one-byte code {@code code} is, or null when it is not one of GC's encodings. */
    static String gcConstruct(int code) {
        return GC_CODES.get(code & 0x7F);
    }

    /** The GC reference type shorthand {@code code} ("reference type anyref"), or null. */
    static String gcReferenceType(int code) {
        String name = GC_REFERENCE_TYPES.get(code & 0x7F);
        return name == null ? null : "reference type " + name;
    }

    /** The reason for a GC construct: "garbage collection (GC) is not supported: struct type 0x5f". */
    static String gcReason(String construct, int code) {
        return "garbage collection (GC) is not supported: " + construct + String.format(" 0x%02x", code);
    }
}
