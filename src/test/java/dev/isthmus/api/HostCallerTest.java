package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Caller;
import dev.isthmus.CompiledModule;
import dev.isthmus.HostException;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmBacktrace;
import dev.isthmus.WasmException;
import dev.isthmus.WasmFrame;
import dev.isthmus.WasmTrap;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Host functions with context: the Caller, user data, typed registration, host exceptions and backtraces. */
class HostCallerTest {
    private static final Isthmus ENGINE = Isthmus.create();
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private static CompiledModule compile(String wat) {
        return ENGINE.compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    private static MethodHandle handle(String name, Class<?> result, Class<?>... params) {
        try {
            return LOOKUP.findStatic(HostCallerTest.class, name, MethodType.methodType(result, params));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A module that hands a string in its memory to env.log and returns what log returned. */
    private static final String LOGGER = """
            (module
              (import "env" "log" (func $log (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "hello, host")
              (func (export "run") (result i32)
                i32.const 16 i32.const 11 call $log))
            """;

    static int log(Caller caller, int ptr, int len) {
        StringBuilder sink = caller.data(StringBuilder.class);
        sink.append(caller.memory("memory").readString(ptr, len));
        assertEquals(caller.instance().memory("memory").segment().address(), caller.memory().segment().address());
        return sink.length();
    }

    @Test
    void typedHostFunctionsGetTheCallerWithMemoryAndUserDataOfTheirInstance() {
        CompiledModule module = compile(LOGGER);
        Imports imports = Imports.builder()
                .function("env", "log", handle("log", int.class, Caller.class, int.class, int.class)).build();
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder("x");
        try (Instance a = module.instantiate(imports, first); Instance b = module.instantiate(imports, second)) {
            assertEquals(11, a.call("run")[0]);
            assertEquals(12, b.call("run")[0]);
            assertEquals("hello, host", first.toString());
            assertEquals("xhello, host", second.toString());
            assertSame(first, a.userData());
        }
        try (Instance none = module.instantiate(imports)) {
            assertNull(none.userData());
        }
    }

    @Test
    void theCallerIsValidOnlyDuringItsCallAndOnItsThread() throws Exception {
        AtomicReference<Caller> kept = new AtomicReference<>();
        AtomicReference<Throwable> otherThread = new AtomicReference<>();
        CompiledModule module = compile(LOGGER);
        Imports imports = Imports.builder().function("env", "log", FuncType.of(List.of(ValType.I32, ValType.I32),
                List.of(ValType.I32)), (Caller caller, Object[] args) -> {
                    kept.set(caller);
                    assertTrue(caller.isValid());
                    Thread t = Thread.ofPlatform().start(() -> {
                        try {
                            caller.memory();
                        } catch (Throwable e) {
                            otherThread.set(e);
                        }
                    });
                    t.join();
                    return new Object[] {caller.instance() == null ? 0 : 7};
                }).build();
        try (Instance instance = module.instantiate(imports)) {
            assertEquals(7, instance.call("run")[0]);
        }
        assertInstanceOf(IllegalStateException.class, otherThread.get());
        assertTrue(otherThread.get().getMessage().contains("thread"), otherThread.get().getMessage());
        Caller caller = kept.get();
        assertFalse(caller.isValid());
        IllegalStateException late = assertThrows(IllegalStateException.class, caller::instance);
        assertTrue(late.getMessage().contains("only during the host call"), late.getMessage());
        assertThrows(IllegalStateException.class, () -> caller.memory("memory"));
        assertThrows(IllegalStateException.class, caller::data);
    }

    @Test
    void theStartFunctionsHostCallsSeeTheInstanceAndItsData() {
        CompiledModule module = compile("""
                (module
                  (import "env" "seen" (func $seen))
                  (memory 1)
                  (data (i32.const 0) "start\\00")
                  (start $seen))
                """);
        AtomicReference<String> seen = new AtomicReference<>();
        Imports imports = Imports.builder().function("env", "seen", FuncType.of(List.of(), List.of()),
                (Caller caller, Object[] args) -> {
                    seen.set(caller.data() + ":" + caller.memory().readCString(0) + ":"
                            + caller.instance().exportKinds().size());
                    return null;
                }).build();
        try (Instance instance = module.instantiate(imports, "request-1")) {
            assertEquals("request-1:start:0", seen.get());
        }
    }

    @Test
    void hostExceptionsOfTheStartFunctionLeaveInstantiate() {
        CompiledModule module = compile("""
                (module (import "env" "f" (func $f)) (func $start call $f) (start $start))
                """);
        IOException io = new IOException("no config");
        HostException e = assertThrows(HostException.class, () -> module.instantiate(Imports.builder()
                .function("env", "f", FuncType.of(List.of(), List.of()), args -> {
                    throw io;
                }).build()));
        assertSame(io, e.getCause());
        assertEquals(List.of("start"), names(e.backtrace()));
        IllegalStateException bad = new IllegalStateException("bad");
        assertSame(bad, assertThrows(IllegalStateException.class, () -> module.instantiate(Imports.builder()
                .function("env", "f", FuncType.of(List.of(), List.of()), args -> {
                    throw bad;
                }).build())));
        assertTrue(WasmBacktrace.of(bad).isPresent());
        module.close();
    }

    @Test
    void callerMemoryLookupsSayWhatIsMissing() {
        CompiledModule module = compile("""
                (module (import "env" "f" (func $f)) (global (export "g") i32 (i32.const 0))
                  (func (export "run") call $f))
                """);
        AtomicReference<String> errors = new AtomicReference<>("");
        Imports imports = Imports.builder().function("env", "f", FuncType.of(List.of(), List.of()),
                (Caller caller, Object[] args) -> {
                    errors.set(assertThrows(IllegalArgumentException.class, () -> caller.memory("nope")).getMessage()
                            + " | " + assertThrows(IllegalArgumentException.class, () -> caller.memory("g"))
                                    .getMessage()
                            + " | " + assertThrows(IllegalStateException.class, caller::memory).getMessage());
                    return null;
                }).build();
        try (Instance instance = module.instantiate(imports)) {
            instance.call("run");
        }
        assertEquals("the calling instance has no export named nope | export g of the calling instance is a "
                + "global, not a memory | the calling instance has no memory", errors.get().replace("GLOBAL",
                "global").replace("MEMORY", "memory"));
    }

    static long add3(long a, int b, double c) {
        return a + b + (long) c;
    }

    static Object[] divmod(int a, int b) {
        return new Object[] {a / b, a % b};
    }

    static void nothing(Caller caller) {
    }

    @Test
    void handlesAreCheckedAgainstTheSignatureWhenRegistered() throws Throwable {
        FuncType add3 = FuncType.of(List.of(ValType.I64, ValType.I32, ValType.F64), List.of(ValType.I64));
        MethodHandle h = handle("add3", long.class, long.class, int.class, double.class);
        CompiledModule module = compile("""
                (module (import "m" "add3" (func $a (param i64 i32 f64) (result i64)))
                  (import "m" "divmod" (func $d (param i32 i32) (result i32 i32)))
                  (import "m" "nothing" (func $n))
                  (func (export "add3") (param i64 i32 f64) (result i64) local.get 0 local.get 1 local.get 2 call $a)
                  (func (export "divmod") (param i32 i32) (result i32 i32) call $n local.get 0 local.get 1 call $d))
                """);
        Imports imports = Imports.builder().function("m", "add3", add3, h)
                .function("m", "divmod", FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32,
                        ValType.I32)), handle("divmod", Object[].class, int.class, int.class))
                .function("m", "nothing", handle("nothing", void.class, Caller.class)).build();
        try (Instance instance = module.instantiate(imports)) {
            assertEquals(10L, (long) instance.function("add3").invokeExact(1L, 2, 7.9));
            assertArrayEquals(new Object[] {3, 2}, instance.call("divmod", 17, 5));
        }

        IllegalArgumentException wrongParam = assertThrows(IllegalArgumentException.class, () -> Imports.builder()
                .function("m", "add3", FuncType.of(List.of(ValType.I32, ValType.I32, ValType.F64),
                        List.of(ValType.I64)), h));
        assertEquals("host function m.add3: parameter 0 of the handle is long, but wasm parameter 0 of "
                + "[i32, i32, f64] -> [i64] is i32 (Java int)", wrongParam.getMessage());
        IllegalArgumentException wrongCount = assertThrows(IllegalArgumentException.class, () -> Imports.builder()
                .function("m", "add3", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)), h));
        assertTrue(wrongCount.getMessage().startsWith("host function m.add3: the handle takes 3 wasm parameters"),
                wrongCount.getMessage());
        IllegalArgumentException wrongResult = assertThrows(IllegalArgumentException.class, () -> Imports.builder()
                .function("m", "add3", FuncType.of(add3.params(), List.of()), h));
        assertEquals("host function m.add3: the handle returns long, but [i64, i32, f64] -> [] needs void",
                wrongResult.getMessage());
        IllegalArgumentException noWasmType = assertThrows(IllegalArgumentException.class, () -> Imports.builder()
                .function("m", "s", MethodHandles.identity(String.class)));
        assertTrue(noWasmType.getMessage().startsWith("host function m.s: parameter 0 has Java type String, which "
                + "is no wasm type"), noWasmType.getMessage());
        IllegalArgumentException several = assertThrows(IllegalArgumentException.class, () -> Imports.builder()
                .function("m", "divmod", handle("divmod", Object[].class, int.class, int.class)));
        assertTrue(several.getMessage().contains("for several results give the wasm signature"),
                several.getMessage());
    }

    /** Calls env.host from $inner, called by $outer, called by the export "run". */
    private static final String THROWER = """
            (module
              (import "env" "host" (func $host))
              (func $inner call $host)
              (func $outer call $inner)
              (func (export "run") call $outer))
            """;

    private static Instance thrower(Object thrown) {
        return compile(THROWER).instantiate(Imports.builder().function("env", "host", FuncType.of(List.of(),
                List.of()), args -> {
                    throw (Throwable) thrown;
                }).build());
    }

    private static List<String> names(List<WasmFrame> frames) {
        return frames.stream().map(f -> f.name().orElse("?")).toList();
    }

    @Test
    void checkedHostExceptionsAreWrappedWithTheWasmFramesTheyCrossed() {
        IOException io = new IOException("disk gone");
        try (Instance instance = thrower(io)) {
            HostException e = assertThrows(HostException.class, () -> instance.call("run"));
            assertInstanceOf(WasmException.class, e);
            assertSame(io, e.getCause());
            assertEquals(List.of("inner", "outer", "run"), names(e.backtrace()).subList(0, 3));
            assertEquals(0, e.omittedFrames());
            assertTrue(e.describe().contains("\n    at "), e.describe());
            // through the exact-typed handle too: invokeExact declares Throwable, the handle never throws IOException
            MethodHandle run = instance.function("run");
            assertThrows(HostException.class, () -> {
                run.invokeExact();
            });
        }
    }

    @Test
    void uncheckedHostExceptionsPassUnchangedWithASuppressedBacktrace() {
        IllegalStateException bad = new IllegalStateException("bad input");
        try (Instance instance = thrower(bad)) {
            assertSame(bad, assertThrows(IllegalStateException.class, () -> instance.call("run")));
            WasmBacktrace backtrace = WasmBacktrace.of(bad).orElseThrow();
            assertEquals(List.of("inner", "outer", "run"), names(backtrace.frames()).subList(0, 3));
            assertTrue(backtrace.getMessage().startsWith("wasm backtrace\n    at "), backtrace.getMessage());
            assertEquals(0, backtrace.getStackTrace().length);
        }
        AssertionError error = new AssertionError("an error");
        try (Instance instance = thrower(error)) {
            assertSame(error, assertThrows(AssertionError.class, () -> instance.call("run")));
            assertTrue(WasmBacktrace.of(error).isPresent());
        }
        assertEquals(Optional.empty(), WasmBacktrace.of(new RuntimeException()));
    }

    @Test
    void nestedEntriesCollectTheFramesOfEveryEntry() {
        // run → $outer → host A → (wasm) "inner" → host B throws: the backtrace lists inner's frames, then run's
        CompiledModule module = compile("""
                (module
                  (import "env" "a" (func $a))
                  (import "env" "b" (func $b))
                  (func $deep call $b)
                  (func (export "inner") call $deep)
                  (func $outer call $a)
                  (func (export "run") call $outer))
                """);
        Imports imports = Imports.builder()
                .function("env", "a", FuncType.of(List.of(), List.of()), (Caller caller, Object[] args) -> {
                    caller.instance().call("inner");
                    return null;
                })
                .function("env", "b", FuncType.of(List.of(), List.of()), args -> {
                    throw new IOException("inner");
                }).build();
        try (Instance instance = module.instantiate(imports)) {
            HostException e = assertThrows(HostException.class, () -> instance.call("run"));
            assertEquals(List.of("deep", "inner", "outer", "run"), names(e.backtrace()));
            assertInstanceOf(IOException.class, e.getCause());
        }
    }

    @Test
    void aTrapUnderAHostFunctionListsTheFramesOfBothEntries() {
        CompiledModule module = compile("""
                (module
                  (import "env" "a" (func $a))
                  (func $boom unreachable)
                  (func (export "inner") call $boom)
                  (func $outer call $a)
                  (func (export "run") call $outer))
                """);
        Imports imports = Imports.builder().function("env", "a", FuncType.of(List.of(), List.of()),
                (Caller caller, Object[] args) -> caller.instance().call("inner")).build();
        try (Instance instance = module.instantiate(imports)) {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("run"));
            assertEquals(TrapKind.UNREACHABLE, trap.kind());
            assertEquals(List.of("boom", "inner", "outer", "run"), names(trap.backtrace()));
        }
    }

    @Test
    void deepTrapsSayHowManyFramesTheirBacktraceLeavesOut() {
        try (Instance instance = compile("""
                (module (func $down (export "down") (param i32) (result i32)
                  local.get 0 i32.eqz if (result i32) unreachable else local.get 0 i32.const 1 i32.sub
                  call $down end))
                """).instantiate()) {
            WasmTrap shallow = assertThrows(WasmTrap.class, () -> instance.call("down", 10));
            assertEquals(11, shallow.backtrace().size());
            assertEquals(0, shallow.omittedFrames());
            assertFalse(shallow.toString().contains("omitted"));

            WasmTrap deep = assertThrows(WasmTrap.class, () -> instance.call("down", 1000));
            assertEquals(TrapKind.UNREACHABLE, deep.kind());
            assertEquals(1001, deep.backtrace().size() + deep.omittedFrames());
            assertEquals(64, deep.backtrace().size());
            assertTrue(deep.toString().endsWith("(937 more wasm frames omitted from the backtrace)"),
                    deep.toString());
            assertTrue(deep.describe().endsWith("\n    ... 937 more wasm frames omitted"), deep.describe());
            assertEquals("unreachable", deep.getMessage());
        }
    }

    @Test
    void stackExhaustionCountsItsFramesToo() {
        try (Instance instance = compile("""
                (module (func $r (export "r") (param i32) (result i32) local.get 0 call $r))
                """).instantiate()) {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("r", 1));
            assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
            assertEquals(64, trap.backtrace().size());
            assertTrue(trap.omittedFrames() > 1000, trap.toString());
        }
    }
}
