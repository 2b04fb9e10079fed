package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.os.LinuxConstants;
import dev.isthmus.os.MemoryMapping;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import org.junit.jupiter.api.Test;

/** Hand-assembled functions called through the entry trampoline: results, and each way of trapping. */
class EntryTrampolineTest {
    private final TestFunctions functions = TestFunctions.get();

    @Test
    void normalCallReturnsItsValue() {
        assertEquals(1 + 2 * 2 + 3 * 3 + 4 * 4, WasmCall.invoke(functions.weightedSum, 1, 2, 3, 4));
        assertEquals(-10, WasmCall.invoke(functions.weightedSum, -1, -1, -1, -1));
        assertEquals(0, EntryRecord.current().trapCode());
    }

    @Test
    void targetRunsOnTheWasmStackWithSysVAlignment() {
        long attached = ThreadContexts.attachCurrentThread();
        assertEquals(attached, ThreadContexts.attachCurrentThread(), "attach is idempotent per OS thread");
        long rsp = WasmCall.invoke(functions.stackPointer);
        assertEquals(8, Math.floorMod(rsp, 16), "RSP ≡ 8 (mod 16) after the call, as the ABI promises");
        Long landing = FaultTables.stacks().find(rsp);
        assertEquals(attached, landing, "RSP is inside this thread's registered wasm stack");
        assertTrue(FaultTables.faultRegions().find(rsp) == null, "not in a guard");
    }

    @Test
    void ud2IsUnreachable() {
        TrapException trap = assertThrows(TrapException.class, () -> WasmCall.invoke(functions.unreachable));
        assertEquals(TrapCode.UNREACHABLE, trap.kind());
        assertEquals("unreachable", trap.getMessage());
        assertEquals(functions.unreachableInstruction, EntryRecord.current().faultPc());
        assertEquals(42, WasmCall.invoke(functions.weightedSum, 42, 0, 0, 0), "the thread can call again");
    }

    @Test
    void raiseStubTrapsWithTheGivenKind() {
        for (TrapCode kind : TrapCode.values()) {
            TrapException trap = assertThrows(TrapException.class, () -> WasmCall.invoke(functions.raise, kind.code(), 0, 0, 0));
            assertEquals(kind, trap.kind());
            assertEquals(kind.message(), trap.getMessage());
            assertEquals(functions.raiseReturnAddress - 1, EntryRecord.current().faultPc(), "inside the call");
            assertEquals(0, EntryRecord.current().faultAddress());
        }
    }

    @Test
    void loadFromAReservedRegionIsOutOfBounds() {
        long size = 1L << 20;
        long reservation = MemoryMapping.mmap(0, size, LinuxConstants.PROT_NONE,
                LinuxConstants.MAP_PRIVATE | LinuxConstants.MAP_ANONYMOUS | LinuxConstants.MAP_NORESERVE, -1, 0);
        try (Registration registration = FaultTables.registerFaultRegion(reservation, reservation + size,
                TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)) {
            for (long offset : new long[] {0, 4096 + 3, size - 8}) {
                TrapException trap = assertThrows(TrapException.class,
                        () -> WasmCall.invoke(functions.load, reservation + offset, 0, 0, 0));
                assertEquals(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS, trap.kind());
                assertEquals("out of bounds memory access", trap.getMessage());
                assertEquals(reservation + offset, EntryRecord.current().faultAddress());
                assertEquals(functions.loadInstruction, EntryRecord.current().faultPc());
            }
        } finally {
            MemoryMapping.munmap(reservation, size);
        }
    }

    @Test
    void trapRestoresTheCalleeSavedRegisters() {
        // The target overwrites rbx, rbp, r12-r15 and traps; the recovery path must restore the Java caller's
        // values from the entry frame. Broken restoration corrupts the JIT-compiled caller (wrong sums or a crash).
        long expected = 0;
        long sum = 0;
        for (int i = 0; i < 20_000; i++) {
            long a = i;
            long b = i * 3L;
            long c = i ^ 0x55;
            try {
                WasmCall.invoke(functions.clobberThenTrap);
            } catch (TrapException trap) {
                sum += a + b + c;
            }
            expected += i + i * 3L + (i ^ 0x55);
        }
        assertEquals(expected, sum);
    }

    @Test
    void deepButFiniteRecursionFitsTheDefaultStack() {
        // 64-byte frames: 10,000 levels use 640 KiB of the 1 MiB stack.
        assertEquals(10_000, WasmCall.invoke(functions.recursionDepth, 10_000, 0, 0, 0));
    }
}
