package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.CompiledModule;
import dev.isthmus.Global;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TestEngines;
import dev.isthmus.Memory;
import dev.isthmus.UninstantiableException;
import dev.isthmus.UnlinkableException;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.instance.AssembledCode;
import dev.isthmus.runtime.instance.TestModules;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import dev.isthmus.x64.Assembler;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The public API end to end, with hand-assembled code standing in for the compiler. */
class EmbeddingApiTest {
    private static Isthmus engine(Map<Integer, BiConsumer<Assembler, VmContextLayout>> bodies) {
        return TestEngines.withCode(module -> new AssembledCode(module, bodies));
    }

    private static final Isthmus BASIC_ENGINE = engine(TestModules.basicBodies());

    private static CompiledModule basic() {
        return BASIC_ENGINE.compile(TestModules.BASIC.getBytes(StandardCharsets.UTF_8));
    }

    static int twice(int x) {
        return 2 * x;
    }

    private static final MethodHandle TWICE;

    static {
        try {
            TWICE = MethodHandles.lookup().findStatic(EmbeddingApiTest.class, "twice",
                    MethodType.methodType(int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Imports hostImports() {
        return Imports.builder().function("env", "host", TWICE).build();
    }

    @Test
    void exportsAreExactlyTypedMethodHandles() throws Throwable {
        try (Instance instance = basic().instantiate(hostImports())) {
            MethodHandle add = instance.function("add");
            assertEquals(MethodType.methodType(int.class, int.class, int.class), add.type());
            assertEquals(7, (int) add.invokeExact(3, 4));
            assertEquals(-2, (int) add.invokeExact(-1, -1));
            assertEquals(42, (int) instance.function("callHost").invokeExact(21));
            assertEquals(MethodType.methodType(void.class), instance.function("trap").type());
            assertArrayEquals(new Object[] {42}, instance.call("getG"));
        }
    }

    @Test
    void memoriesAndGlobalsAreVisibleFromJava() throws Throwable {
        try (Instance instance = basic().instantiate(hostImports())) {
            Memory memory = instance.memory("memory");
            assertEquals(1, memory.pages());
            assertArrayEquals(new byte[] {42, 0, 0, 0}, memory.read(16, 4));
            memory.write(100, new byte[] {5, 0, 0, 0});
            assertEquals(5, (int) instance.function("load").invokeExact(100));
            assertEquals(1, (int) instance.function("grow").invokeExact(1));
            assertEquals(2, memory.pages());
            assertEquals(2, (int) instance.function("size").invokeExact());
            assertEquals(2, memory.grow(1));
            assertEquals(3, (int) instance.function("size").invokeExact());
            Global g = instance.global("g");
            assertEquals(42, g.get());
            assertThrows(IllegalStateException.class, () -> g.set(1));
        }
    }

    @Test
    void trapsAndHostExceptionsReachJava() {
        try (Instance instance = basic().instantiate(hostImports())) {
            MethodHandle trapping = instance.function("trap");
            WasmTrap trap = assertThrows(WasmTrap.class, () -> {
                trapping.invokeExact();
            });
            assertEquals(TrapKind.UNREACHABLE, trap.kind());
            assertEquals("unreachable", trap.getMessage());
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, assertThrows(WasmTrap.class,
                    () -> { int unused = (int) instance.function("load").invokeExact(70000); }).kind());
        }
        UnsupportedOperationException thrown = new UnsupportedOperationException("host says no");
        Imports throwing = Imports.builder().function("env", "host",
                new FuncType(List.of(ValType.I32), List.of(ValType.I32)), args -> {
                    throw thrown;
                }).build();
        try (Instance instance = basic().instantiate(throwing)) {
            assertSame(thrown, assertThrows(UnsupportedOperationException.class, () -> instance.call("callHost", 1)));
        }
    }

    @Test
    void linkErrorsUseTheSpecWording() {
        CompiledModule module = basic();
        UnlinkableException unknown = assertThrows(UnlinkableException.class, module::instantiate);
        assertTrue(unknown.getMessage().startsWith("unknown import"), unknown.getMessage());
        Imports wrong = Imports.builder().function("env", "host", new FuncType(List.of(ValType.I64),
                List.of(ValType.I32)), args -> new Object[] {0}).build();
        UnlinkableException incompatible = assertThrows(UnlinkableException.class, () -> module.instantiate(wrong));
        assertTrue(incompatible.getMessage().startsWith("incompatible import type"), incompatible.getMessage());
        Imports global = Imports.builder().global("env", "host", Global.create(ValType.I32, false, 1)).build();
        assertThrows(UnlinkableException.class, () -> module.instantiate(global));
    }

    @Test
    void instancesLinkToEachOthersExports() throws Throwable {
        String importer = """
                (module (import "basic" "memory" (memory 1)) (import "basic" "add" (func $add (param i32 i32) (result i32)))
                  (data (i32.const 200) "\\07")
                  (func (export "load") (param i32) (result i32) local.get 0 i32.load))
                """;
        Isthmus loadEngine = engine(Map.of(1, AssembledCode::load));
        try (Instance provider = basic().instantiate(hostImports());
             Instance instance = loadEngine.compile(importer.getBytes(StandardCharsets.UTF_8))
                     .instantiate(Imports.builder().instance("basic", provider).build())) {
            assertEquals(7, (int) provider.function("load").invokeExact(200));
            provider.memory("memory").write(300, new byte[] {9});
            assertEquals(9, (int) instance.function("load").invokeExact(300));
        }
    }

    @Test
    void outOfBoundsSegmentsMakeModulesUninstantiable() {
        String wat = """
                (module (import "env" "memory" (memory 1))
                  (data (i32.const 0) "x") (data (i32.const 65536) "y"))
                """;
        CompiledModule module = engine(Map.of()).compile(wat.getBytes(StandardCharsets.UTF_8));
        try (Memory memory = Memory.create(1, 1)) {
            UninstantiableException e = assertThrows(UninstantiableException.class,
                    () -> module.instantiate(Imports.builder().memory("env", "memory", memory).build()));
            assertEquals("out of bounds memory access", e.getMessage());
            assertEquals('x', memory.read(0, 1)[0]);
        }
        module.close();
    }

    @Test
    void instantiateCloseCyclesReleaseMemoryReservations() throws IOException {
        CompiledModule module = basic();
        Imports imports = hostImports();
        for (int i = 0; i < 20; i++) module.instantiate(imports).close();
        long before = mappings(0);
        long reservationsBefore = mappings(1L << 30);
        for (int i = 0; i < 1000; i++) {
            try (Instance instance = module.instantiate(imports)) {
                instance.memory("memory").write(8, new byte[] {(byte) i});
            }
        }
        long after = mappings(0);
        long reservationsAfter = mappings(1L << 30);
        // the memory reservations (8 GiB each) exactly; all mappings loosely: other threads of the test JVM (JIT,
        // GC, the call watchdog, other tests' threads ending) map and unmap too, but a leak per cycle would show 1000
        assertTrue(reservationsAfter <= reservationsBefore, "memory reservations grew from " + reservationsBefore
                + " to " + reservationsAfter);
        assertTrue(after <= before + 200, "mappings grew from " + before + " to " + after);
    }

    /** The number of mappings of at least {@code minBytes} in this process. */
    private static long mappings(long minBytes) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(line -> {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            return Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16) >= minBytes;
        }).count();
    }
}
