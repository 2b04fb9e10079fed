package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.ThreadContextLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.runtime.abi.TrapLanding;
import org.junit.jupiter.api.Test;

/** The offsets baked into machine code, pinned against the diagrams in the layout classes. */
class LayoutTest {
    @Test
    void threadContext() {
        assertEquals(0, ThreadContextLayout.LANDING, "the landing's address is the context's address");
        assertEquals(0, ThreadContextLayout.RECOVERY_PC);
        assertEquals(8, ThreadContextLayout.RESUME_RSP);
        assertEquals(16, ThreadContextLayout.TRAP_CODE);
        assertEquals(24, ThreadContextLayout.FAULT_PC);
        assertEquals(32, ThreadContextLayout.FAULT_ADDRESS);
        assertEquals(40, ThreadContextLayout.FAULT_FP);
        assertEquals(48, ThreadContextLayout.FAULT_SP);
        assertEquals(56, ThreadContextLayout.WASM_RSP);
        assertEquals(64, ThreadContextLayout.ENTRY_RECORD);
        assertEquals(72, ThreadContextLayout.STACK_LIMIT);
        assertEquals(80, ThreadContextLayout.STATE);
        assertEquals(88, ThreadContextLayout.ALT_STACK);
        assertEquals(112, ThreadContextLayout.JAVA_STACK_LIMIT);
        assertEquals(120, ThreadContextLayout.SIZE);
        assertEquals(56, TrapLanding.LAYOUT.byteSize());
    }

    @Test
    void entryRecordAndFrame() {
        assertEquals(0, EntryRecord.RESULT);
        assertEquals(8, EntryRecord.TRAP_CODE);
        assertEquals(16, EntryRecord.FAULT_PC);
        assertEquals(24, EntryRecord.FAULT_ADDRESS);
        assertEquals(32, EntryRecord.FAULT_SP);
        assertEquals(40, EntryRecord.FAULT_FP);
        assertEquals(48, EntryRecord.STACK_LIMIT);
        assertEquals(56, EntryRecord.STACK_TOP);
        assertEquals(64, EntryRecord.CONTEXT);
        assertEquals(72, EntryRecord.BUFFER);
        assertEquals(80, EntryRecord.LAYOUT.byteSize());
        assertEquals(80, TrampolineEmitter.ENTRY_FRAME.byteSize(), "6 saved registers + 3 slots + return address");
    }
}
