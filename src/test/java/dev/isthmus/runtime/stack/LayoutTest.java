package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.runtime.signal.TrapLanding;
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
        assertEquals(48, ThreadContextLayout.WASM_RSP);
        assertEquals(56, ThreadContextLayout.ENTRY_RECORD);
        assertEquals(64, ThreadContextLayout.STACK_LIMIT);
        assertEquals(72, ThreadContextLayout.STATE);
        assertEquals(80, ThreadContextLayout.ALT_STACK);
        assertEquals(104, ThreadContextLayout.SIZE);
        assertEquals(48, TrapLanding.LAYOUT.byteSize());
    }

    @Test
    void entryRecordAndFrame() {
        assertEquals(0, EntryRecord.RESULT);
        assertEquals(8, EntryRecord.TRAP_CODE);
        assertEquals(12, EntryRecord.FRAME_COUNT);
        assertEquals(16, EntryRecord.FAULT_PC);
        assertEquals(24, EntryRecord.FAULT_ADDRESS);
        assertEquals(32, EntryRecord.FRAME_PCS);
        assertEquals(32 + 8 * EntryRecord.MAX_FRAMES, EntryRecord.LAYOUT.byteSize());
        assertEquals(80, TrampolineEmitter.ENTRY_FRAME.byteSize(), "6 saved registers + 3 slots + return address");
    }
}
