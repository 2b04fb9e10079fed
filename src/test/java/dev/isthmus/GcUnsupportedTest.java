package dev.isthmus;

import dev.isthmus.model.WasmVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A well-formed Wasm 3.0 module that uses garbage collection (GC) — a GC type definition, a GC reference or heap
 * type, a GC instruction — is refused by {@link Isthmus#compile(byte[])} with an {@link UnsupportedFeatureException}
 * naming the construct and where it is (binaryen's fuzzer with --enable-gc makes such modules); under the 2.0 rules
 * the same bytes stay malformed, as the 2.0 suite expects.
 */
class GcUnsupportedTest {
    private static final byte[] HEADER = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

    static Stream<Arguments> gcModules() {
        byte[] funcTypeVoid = {0x01, 0x60, 0x00, 0x00};
        return Stream.of(
                Arguments.of("struct type", module(section(1, 0x01, 0x5F, 0x00)),
                        "garbage collection (GC) is not supported: struct type 0x5f (type section, at byte offset 0xb)"),
                Arguments.of("array type", module(section(1, 0x01, 0x5E, 0x7F, 0x00)),
                        "garbage collection (GC) is not supported: array type 0x5e (type section, at byte offset 0xb)"),
                // a recursion group of function types is 3.0 without GC (exception handling's tag.wast uses one)
                Arguments.of("struct in a rec group", module(section(1, 0x01, 0x4E, 0x01, 0x5F, 0x00)),
                        "garbage collection (GC) is not supported: struct type 0x5f (type section, at byte offset "
                                + "0xd)"),
                Arguments.of("subtype", module(section(1, 0x01, 0x50, 0x00, 0x60, 0x00, 0x00)),
                        "garbage collection (GC) is not supported: subtype (sub) 0x50 (type section, at byte offset 0xb)"),
                Arguments.of("anyref parameter", module(section(1, 0x01, 0x60, 0x01, 0x6E, 0x00)),
                        "garbage collection (GC) is not supported: reference type anyref 0x6e (type section, at byte "
                                + "offset 0xd)"),
                Arguments.of("(ref null i31) result", module(section(1, 0x01, 0x60, 0x00, 0x01, 0x63, 0x6C)),
                        "garbage collection (GC) is not supported: heap type i31 0x6c (type section, at byte offset "
                                + "0xf)"),
                Arguments.of("nullref global", module(section(6, 0x01, 0x71, 0x00, 0xD0, 0x71, 0x0B)),
                        "garbage collection (GC) is not supported: reference type nullref 0x71 (global section, at "
                                + "byte offset 0xb)"),
                Arguments.of("0xFB instruction", module(concat(section(1, funcTypeVoid), section(3, 0x01, 0x00),
                        section(10, 0x01, 0x05, 0x00, 0x41, 0x00, 0xFB, 0x1C))),
                        "garbage collection (GC) is not supported: instruction prefix 0xfb (code section, function 0, "
                                + "at byte offset 0x19)"),
                Arguments.of("ref.eq", module(concat(section(1, funcTypeVoid), section(3, 0x01, 0x00),
                        section(10, 0x01, 0x04, 0x00, 0xD3, 0x1A, 0x0B))),
                        "garbage collection (GC) is not supported: instruction ref.eq 0xd3 (code section, function 0, "
                                + "at byte offset 0x17)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gcModules")
    void isAnUnsupportedFeatureNamingTheConstruct(String what, byte[] module, String message) {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> Isthmus.create().compile(module));
        assertEquals(message, e.getMessage());
        assertInstanceOf(dev.isthmus.binary.UnsupportedProposalException.class, e.getCause());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gcModules")
    void staysMalformedUnderTheWasm20Rules(String what, byte[] module, String message) {
        Isthmus engine = Isthmus.builder().wasmVersion(WasmVersion.V2_0).build();
        assertThrows(MalformedModuleException.class, () -> engine.compile(module));
    }

    private static byte[] module(byte[] sections) {
        return concat(HEADER, sections);
    }

    private static byte[] section(int id, int... content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id);
        out.write(content.length);
        for (int b : content) out.write(b);
        return out.toByteArray();
    }

    private static byte[] section(int id, byte[] content) {
        int[] ints = new int[content.length];
        for (int i = 0; i < content.length; i++) ints[i] = content[i] & 0xFF;
        return section(id, ints);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
