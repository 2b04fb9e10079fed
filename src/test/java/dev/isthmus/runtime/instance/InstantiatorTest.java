package dev.isthmus.runtime.instance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.host.HostCode;
import dev.isthmus.runtime.memory.LinearMemory;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class InstantiatorTest {
    private static final FuncType I32_TO_I32 = new FuncType(List.of(ValType.I32), List.of(ValType.I32));
    private static final WasmModule BASIC = TestModules.parse(TestModules.BASIC);
    private static final AssembledCode CODE = new AssembledCode(BASIC, TestModules.basicBodies());

    @AfterAll
    static void leaveCodeMapped() {
        // half-made instances of failed instantiations may still point at it; the process ends soon anyway
    }

    private static RuntimeInstance instantiate(HostCode host) {
        return Instantiator.instantiate(BASIC, CODE, (m, n) -> m.equals("env") && n.equals("host")
                ? new ExternValue.HostFunction(I32_TO_I32, host) : null, dev.isthmus.options.BoundsChecks.GUARD_PAGES);
    }

    private static long[] call(RuntimeInstance instance, String export, long... args) {
        var f = (ExternValue.WasmFunction) instance.export(export);
        return FunctionCaller.call(CODE.entryAdapterAddress(f.typeIndex()), f.funcRef(), args,
                f.type().results().size());
    }

    private static final HostCode DOUBLE = buffer -> buffer.set(ValueLayout.JAVA_LONG, 0,
            (buffer.get(ValueLayout.JAVA_INT, 0) * 2) & 0xFFFF_FFFFL);

    @Test
    void callsDataGlobalsAndHostFunctions() {
        try (RuntimeInstance instance = instantiate(DOUBLE)) {
            assertArrayEquals(new long[] {7}, call(instance, "add", 3, 4));
            assertArrayEquals(new long[] {42}, call(instance, "load", 16));
            assertArrayEquals(new long[] {42}, call(instance, "getG"));
            assertArrayEquals(new long[] {42}, call(instance, "callHost", 21));
        }
    }

    @Test
    void memoryGrowsThroughTheBuiltinAndCodeSeesTheNewSize() {
        try (RuntimeInstance instance = instantiate(DOUBLE)) {
            assertArrayEquals(new long[] {1}, call(instance, "size"));
            assertArrayEquals(new long[] {1}, call(instance, "grow", 2));
            assertArrayEquals(new long[] {3}, call(instance, "size"));
            assertEquals(0xFFFF_FFFFL, call(instance, "grow", 1)[0] & 0xFFFF_FFFFL);
            call(instance, "store", 3 * 65536 - 4, 99);
            assertArrayEquals(new long[] {99}, call(instance, "load", 3 * 65536 - 4));
        }
    }

    @Test
    void trapsBecomeWasmTraps() {
        try (RuntimeInstance instance = instantiate(DOUBLE)) {
            assertEquals(TrapCode.UNREACHABLE, assertThrows(TrapException.class, () -> call(instance, "trap")).kind());
            TrapException oob = assertThrows(TrapException.class, () -> call(instance, "load", 65536));
            assertEquals(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS, oob.kind());
            assertEquals(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS,
                    assertThrows(TrapException.class, () -> call(instance, "load", -1)).kind());
            assertArrayEquals(new long[] {5}, call(instance, "add", 2, 3));
        }
    }

    @Test
    void hostExceptionsReachTheCallerAsTheTrapsHostThrowable() {
        IllegalStateException thrown = new IllegalStateException("from the host");
        try (RuntimeInstance instance = instantiate(buffer -> {
            throw thrown;
        })) {
            TrapException trap = assertThrows(TrapException.class, () -> call(instance, "callHost", 1));
            assertSame(thrown, trap.hostThrowable());
            assertArrayEquals(new long[] {5}, call(instance, "add", 2, 3));
        }
    }

    @Test
    void hostStackOverflowBecomesAStackExhaustionTrap() {
        try (RuntimeInstance instance = instantiate(buffer -> recurse(0))) {
            TrapException trap = assertThrows(TrapException.class, () -> call(instance, "callHost", 1));
            assertEquals(TrapCode.CALL_STACK_EXHAUSTED, trap.kind());
            assertArrayEquals(new long[] {5}, call(instance, "add", 2, 3));
        }
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void hostFunctionsCanCallWasmAgain() {
        RuntimeInstance[] self = new RuntimeInstance[1];
        try (RuntimeInstance instance = instantiate(buffer -> {
            long x = buffer.get(ValueLayout.JAVA_INT, 0);
            long[] sum = x > 0 ? call(self[0], "callHost", x - 1) : new long[] {0};
            buffer.set(ValueLayout.JAVA_LONG, 0, sum[0] + x);
        })) {
            self[0] = instance;
            assertArrayEquals(new long[] {55}, call(instance, "callHost", 10));
        }
    }

    @Test
    void unknownAndIncompatibleImportsAreLinkFailures() {
        LinkFailure unknown = assertThrows(LinkFailure.class, () -> Instantiator.instantiate(BASIC, CODE,
                (m, n) -> null, dev.isthmus.options.BoundsChecks.GUARD_PAGES));
        assertTrue(unknown.getMessage().startsWith("unknown import"), unknown.getMessage());
        LinkFailure wrongType = assertThrows(LinkFailure.class, () -> Instantiator.instantiate(BASIC, CODE,
                (m, n) -> new ExternValue.HostFunction(new FuncType(List.of(), List.of()), b -> { }),
                dev.isthmus.options.BoundsChecks.GUARD_PAGES));
        assertTrue(wrongType.getMessage().startsWith("incompatible import type"), wrongType.getMessage());
    }

    @Test
    void dataSegmentsApplyInOrderUntilTheFirstOutOfBoundsOne() {
        WasmModule module = TestModules.parse("""
                (module (import "env" "mem" (memory 1))
                  (data (i32.const 0) "ab") (data (i32.const 65535) "cd") (data (i32.const 8) "ef"))
                """);
        AssembledCode code = new AssembledCode(module, Map.of());
        try (LinearMemory memory = LinearMemory.create(new dev.isthmus.model.MemoryType(
                new dev.isthmus.model.Limits(1, 1)), dev.isthmus.options.BoundsChecks.GUARD_PAGES)) {
            InstantiationTrap failure = assertThrows(InstantiationTrap.class, () -> Instantiator.instantiate(module,
                    code, (m, n) -> new ExternValue.Memory(memory), dev.isthmus.options.BoundsChecks.GUARD_PAGES));
            TrapException trap = failure.trap();
            failure.abandoned().close();
            assertEquals(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS, trap.kind());
            assertEquals('a', memory.segment().get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(0, memory.segment().get(ValueLayout.JAVA_BYTE, 8));
        }
    }
}
