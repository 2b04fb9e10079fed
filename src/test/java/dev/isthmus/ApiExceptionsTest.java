package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.binary.DecodeException;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import dev.isthmus.model.FuncType;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.instance.LinkFailure;
import dev.isthmus.runtime.trap.TrapException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The API boundary turns internal failures into the {@link WasmException} family, the internal one as cause. */
class ApiExceptionsTest {
    private static final Isthmus ENGINE = Isthmus.create();

    private static CompiledModule compile(String wat) {
        return ENGINE.compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyInternalTrapCodeMapsToThePublicKindOfTheSameNameAndMessage() {
        for (TrapCode code : TrapCode.values()) {
            TrapKind kind = TrapKind.of(code);
            assertEquals(code.name(), kind.name());
            assertEquals(code.message(), kind.message());
        }
        assertEquals(TrapCode.values().length, TrapKind.values().length);
        Set<TrapKind> mapped = Arrays.stream(TrapCode.values()).map(TrapKind::of).collect(Collectors.toSet());
        assertEquals(Set.of(TrapKind.values()), mapped);
    }

    @Test
    void malformedBinaryAndTextAreMalformedModuleExceptions() {
        MalformedModuleException binary = assertThrows(MalformedModuleException.class,
                () -> ENGINE.compile(new byte[] {0, 'a', 's', 'm', 1, 0, 0}));
        assertInstanceOf(DecodeException.class, binary.getCause());
        assertEquals(binary.getCause().getMessage(), binary.getMessage());
        assertEquals("unexpected end", binary.reason());
        MalformedModuleException text = assertThrows(MalformedModuleException.class, () -> compile("(module (func"));
        assertInstanceOf(DecodeException.class, text.getCause());
    }

    @Test
    void invalidModuleIsInvalidModuleException() {
        InvalidModuleException e = assertThrows(InvalidModuleException.class,
                () -> compile("(module (func (result i32) (i64.const 1)))"));
        assertInstanceOf(ValidationException.class, e.getCause());
        assertEquals("type mismatch", e.reason());
        assertTrue(e.functionIndex() >= 0);
    }

    @Test
    void simdWithoutSse41IsAnUnsupportedFeature() {
        // SIMD needs SSE4.1: compiled for a CPU without it, a module using SIMD is refused (never run)
        CpuFeatures noSse41 = CpuFeatures.host().withoutSse41();
        Isthmus engine = Isthmus.builder().codeGenerator((m, o) -> IsthmusCompiler.generate(m, o, noSse41)).build();
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> engine.compile("(module (func (param v128) (result v128) (local.get 0)))"
                        .getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(UnimplementedFeatureException.class, e.getCause());
        assertTrue(e.getMessage().contains("SIMD needs SSE4.1"), e.getMessage());
        engine.compile("(module (func (result i32) (i32.const 1)))".getBytes(StandardCharsets.UTF_8)).close();
    }

    @Test
    void unlinkableAndUninstantiableAreWasmExceptions() {
        CompiledModule needsImport = compile("(module (import \"env\" \"f\" (func)))");
        UnlinkableException unlinkable = assertThrows(UnlinkableException.class, needsImport::instantiate);
        assertInstanceOf(LinkFailure.class, unlinkable.getCause());
        assertTrue(unlinkable.getMessage().startsWith("unknown import"), unlinkable.getMessage());

        CompiledModule trapsAtStart = compile("(module (func $s unreachable) (start $s))");
        UninstantiableException e = assertThrows(UninstantiableException.class, trapsAtStart::instantiate);
        assertEquals(TrapKind.UNREACHABLE, e.trap().kind());
        assertEquals("unreachable", e.getMessage());
        assertInstanceOf(TrapException.class, e.trap().getCause());
    }

    @Test
    void aTrapIsTheApiWasmTrapWithKindMessageAndBacktrace() throws Throwable {
        try (Instance instance = compile("""
                (module
                  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
                  (func (export "outer") (param i32) (result i32) (call $inner (local.get 0))))
                """).instantiate()) {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("outer", 0));
            assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, trap.kind());
            assertEquals("integer divide by zero", trap.getMessage());
            assertInstanceOf(TrapException.class, trap.getCause());
            List<String> names = trap.backtrace().stream().map(f -> f.name().orElse("?")).toList();
            assertEquals(List.of("inner", "outer"), names);
            assertTrue(trap.describe().startsWith("wasm trap: integer divide by zero\n    at 0: $inner @ 0x"),
                    trap.describe());
            WasmTrap exact = assertThrows(WasmTrap.class, () -> {
                int ignored = (int) instance.function("outer").invokeExact(0);
            });
            assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, exact.kind());
        }
    }

    @Test
    void hostExceptionsPassThroughAndNestedTrapsSurfaceAsWasmTrap() {
        FuncType voidToVoid = FuncType.of(List.of(), List.of());
        CompiledModule module = compile("""
                (module
                  (import "env" "host" (func $host))
                  (func (export "callHost") (call $host))
                  (func (export "trap") unreachable))
                """);
        IllegalStateException own = new IllegalStateException("host's own");
        try (Instance instance = module.instantiate(Imports.builder()
                .function("env", "host", voidToVoid, args -> {
                    throw own;
                }).build())) {
            assertSame(own, assertThrows(IllegalStateException.class, () -> instance.call("callHost")));
        }
        Instance[] self = new Instance[1];
        try (Instance instance = module.instantiate(Imports.builder()
                .function("env", "host", voidToVoid, args -> self[0].call("trap")).build())) {
            self[0] = instance;
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("callHost"));
            assertEquals(TrapKind.UNREACHABLE, trap.kind());
            assertFalse(trap.backtrace().isEmpty());
        }
    }
}
