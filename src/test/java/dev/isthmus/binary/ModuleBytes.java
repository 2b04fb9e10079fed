package dev.isthmus.binary;

import dev.isthmus.model.Leb128;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Test-only builder of binary modules: the header, then sections appended one by one with their id and size
 * computed. Byte content is written as hex ("60 00 00") or through the small encoders below.
 *
 * <pre>{@code
 * byte[] m = new ModuleBytes()
 *         .section(1, vec(1), "60 00 00")        // type section: [] -> []
 *         .bytes();
 * }</pre>
 */
final class ModuleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ModuleBytes() {
        raw("00 61 73 6d 01 00 00 00");
    }

    /** Appends bytes as they are. */
    ModuleBytes raw(String hex) {
        out.writeBytes(hex(hex));
        return this;
    }

    /** Appends a section: its id, its size, then the concatenated contents. */
    ModuleBytes section(int id, Object... contents) {
        byte[] body = concat(contents);
        out.write(id);
        out.writeBytes(Leb128.encodeUnsigned(body.length));
        out.writeBytes(body);
        return this;
    }

    /** Appends a custom section with the given name and payload. */
    ModuleBytes custom(String name, Object... payload) {
        return section(0, name(name), concat(payload));
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Hex digits (spaces allowed) to bytes. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** An unsigned LEB128 (a count, an index, a size). */
    static byte[] u32(long v) {
        return Leb128.encodeUnsigned(v);
    }

    /** A vector length prefix. */
    static byte[] vec(int n) {
        return Leb128.encodeUnsigned(n);
    }

    /** A name: its UTF-8 length, then the bytes. */
    static byte[] name(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return concat(u32(utf8.length), utf8);
    }

    /** A size-prefixed function body: vec(locals) then the instruction bytes (which must include the final end). */
    static byte[] body(String locals, String code) {
        byte[] content = concat(hex(locals), hex(code));
        return concat(u32(content.length), content);
    }

    /** Concatenates byte arrays and hex strings. */
    static byte[] concat(Object... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object p : parts) {
            switch (p) {
                case byte[] a -> b.writeBytes(a);
                case String s -> b.writeBytes(hex(s));
                default -> throw new IllegalArgumentException(String.valueOf(p));
            }
        }
        return b.toByteArray();
    }
}
