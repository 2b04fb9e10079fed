package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.InvalidModuleException;
import dev.isthmus.Isthmus;
import dev.isthmus.MalformedModuleException;
import dev.isthmus.Memory;
import dev.isthmus.Table;
import dev.isthmus.UninstantiableException;
import dev.isthmus.UnlinkableException;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The texts of the errors a Java caller sees: each names what is wrong, in wasm's notation where it can. */
class ErrorTextsTest {
    private static final Isthmus ISTHMUS = Isthmus.create();

    private static CompiledModule compile(String wat) {
        return ISTHMUS.compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A host function returning a value of another Java type than its result type takes (found by the compiler
     * fuzz target: a raw ClassCastException left {@code Instance.call}), or null for a non-nullable reference.
     */
    @Test
    void aHostFunctionReturningTheWrongTypeFailsTheCallNamingTheResult() {
        var f32ToI32 = new dev.isthmus.model.FuncType(java.util.List.of(dev.isthmus.model.ValType.F32),
                java.util.List.of(dev.isthmus.model.ValType.I32));
        Imports imports = Imports.builder().function("h", "echo", f32ToI32, args -> new Object[] {args[0]}).build();
        CompiledModule module = Isthmus.create().compile(("(module (import \"h\" \"echo\" (func (param f32) (result i32)))"
                + " (func (export \"f\") (result i32) (call 0 (f32.const 1.5))))").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (Instance instance = module.instantiate(imports)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> instance.call("f"));
            assertEquals("host function returned a java.lang.Float for result 0 of (func (param f32) (result i32)),"
                    + " which takes an Integer", e.getMessage());
        }
        var nonNull = new dev.isthmus.model.FuncType(java.util.List.of(),
                java.util.List.of(dev.isthmus.model.ValType.ref(false, dev.isthmus.model.ValType.HEAP_FUNC)));
        Imports nulls = Imports.builder().function("h", "ref", nonNull, args -> new Object[] {null}).build();
        CompiledModule refs = Isthmus.create().compile(("(module (import \"h\" \"ref\" (func (result (ref func))))"
                + " (func (export \"f\") (result i32) (ref.is_null (call 0))))").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (Instance instance = refs.instantiate(nulls)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> instance.call("f"));
            assertTrue(e.getMessage().startsWith("host function returned null for result 0"), e.getMessage());
        }
    }

    @Test
    void wronglyTypedArgumentsNameTheFunctionTheParameterAndBothTypes() {
        try (Instance instance = compile("""
                (module (func (export "add") (param i32 i64 f32 f64 funcref) (result i32) i32.const 0))
                """).instantiate()) {
            IllegalArgumentException longForInt = assertThrows(IllegalArgumentException.class,
                    () -> instance.call("add", 1L, 2L, 3f, 4d, null));
            assertEquals("function \"add\" (func (param i32 i64 f32 f64 funcref) (result i32)): parameter 0 is an i32"
                    + " (pass an Integer), got a java.lang.Long", longForInt.getMessage());
            IllegalArgumentException nullForDouble = assertThrows(IllegalArgumentException.class,
                    () -> instance.call("add", 1, 2L, 3f, null, null));
            assertEquals("function \"add\" (func (param i32 i64 f32 f64 funcref) (result i32)): parameter 3 is an f64"
                    + " (pass a Double), got null", nullForDouble.getMessage());
            IllegalArgumentException stringForRef = assertThrows(IllegalArgumentException.class,
                    () -> instance.call("add", 1, 2L, 3f, 4d, "f"));
            assertEquals("function \"add\" (func (param i32 i64 f32 f64 funcref) (result i32)): parameter 4 is a"
                    + " funcref (pass a FunctionRef or null), got a java.lang.String", stringForRef.getMessage());
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                    () -> instance.call("add", 1));
            assertEquals("function \"add\" (func (param i32 i64 f32 f64 funcref) (result i32)) takes 5 arguments,"
                    + " got 1", count.getMessage());
            assertEquals(List.of(0), List.of(instance.call("add", 1, 2L, 3f, 4d, null)));
            assertEquals("no export named \"sub\"", assertThrows(IllegalArgumentException.class,
                    () -> instance.call("sub")).getMessage());
            assertEquals("export \"add\" is a function, not a memory", assertThrows(IllegalArgumentException.class,
                    () -> instance.memory("add")).getMessage());
        }
    }

    @Test
    void linkErrorsNameModuleFieldAndBothTypesInTextNotation() {
        CompiledModule module = compile("""
                (module (import "env" "f" (func (param i32))) (import "env" "m" (memory 2))
                        (import "env" "g" (global (mut i64))))
                """);
        UnlinkableException unknown = assertThrows(UnlinkableException.class, module::instantiate);
        assertEquals("unknown import \"env\" \"f\": expected (func (param i32)), nothing provided",
                unknown.getMessage());
        FuncType i64 = new FuncType(List.of(ValType.I64), List.of());
        UnlinkableException function = assertThrows(UnlinkableException.class, () -> module.instantiate(
                Imports.builder().function("env", "f", i64, args -> new Object[0]).build()));
        assertEquals("incompatible import type \"env\" \"f\": expected (func (param i32)), got (func (param i64))",
                function.getMessage());
        FuncType i32 = new FuncType(List.of(ValType.I32), List.of());
        try (Memory small = Memory.create(1, 3)) {
            UnlinkableException memory = assertThrows(UnlinkableException.class, () -> module.instantiate(
                    Imports.builder().function("env", "f", i32, args -> new Object[0])
                            .memory("env", "m", small).build()));
            assertEquals("incompatible import type \"env\" \"m\": expected (memory 2), got (memory 1 3) (minimum 1"
                    + " below 2)", memory.getMessage());
        }
        try (Memory memory = Memory.create(2, -1)) {
            UnlinkableException kind = assertThrows(UnlinkableException.class, () -> module.instantiate(
                    Imports.builder().function("env", "f", i32, args -> new Object[0]).memory("env", "m", memory)
                            .memory("env", "g", memory).build()));
            assertEquals("incompatible import type \"env\" \"g\": expected (global (mut i64)), got (memory 2)",
                    kind.getMessage());
        }
    }

    @Test
    void aHugeTableFailsInstantiationAsAResourceLimit() {
        CompiledModule module = compile("(module (table 0xffffffff funcref))");
        UninstantiableException e = assertThrows(UninstantiableException.class, module::instantiate);
        assertEquals("table of 4294967295 elements exceeds the limit of 10000000 elements", e.getMessage());
        assertNull(e.trap());
        compile("(module (table 1000 funcref))").instantiate().close();
        IllegalArgumentException fromJava = assertThrows(IllegalArgumentException.class,
                () -> Table.create(ValType.FUNCREF, 10_000_001, -1));
        assertEquals("table of 10000001 elements exceeds the limit of 10000000 elements", fromJava.getMessage());
    }

    @Test
    void moreLocalsThanTheLimitAreInvalidNotACompilerError() {
        byte[] huge = HexFormat.of().parseHex("0061736d01000000" + "010401600000" + "03020100" + "0a0a01" + "08"
                + "01ffffffff0f7f0b");
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> ISTHMUS.compile(huge));
        assertEquals("too many locals: function 0 has 4294967295 locals (0 parameters and 4294967295 declared),"
                + " the limit is 50000 (code section, function 0, at byte offset 0x1d)", e.getMessage());
        assertEquals(0, e.functionIndex());
        // 50,000 locals: the limit itself compiles
        byte[] atLimit = HexFormat.of().parseHex("0061736d01000000" + "010401600000" + "03020100" + "0a0801" + "06"
                + "01d08603" + "7f0b");
        ISTHMUS.compile(atLimit).close();
    }

    @Test
    void bytesThatAreNoModuleSayWhatTheyAre() {
        MalformedModuleException binary = assertThrows(MalformedModuleException.class,
                () -> ISTHMUS.compile(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0}));
        assertEquals("not a WebAssembly module: it starts with the bytes ca fe ba be 00 00, not 00 61 73 6d (\\0asm)"
                + " as the binary format does, and it is not text", binary.getMessage());
        MalformedModuleException text = assertThrows(MalformedModuleException.class,
                () -> ISTHMUS.compile("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("not a WebAssembly module: it is text, but it starts with \"#!/bin/sh\" (at 1:1), not with \"(\""
                + " as the text format does (nor with \\0asm as the binary format does)", text.getMessage());
        MalformedModuleException token = assertThrows(MalformedModuleException.class,
                () -> ISTHMUS.compile("(module (func (result i32) (i32.const 0) $x))".getBytes(StandardCharsets.UTF_8)));
        assertEquals("unexpected token \"$x\" (at 1:42)", token.getMessage());
        assertTrue(token.reason().equals("unexpected token"), token.reason());
    }
}
