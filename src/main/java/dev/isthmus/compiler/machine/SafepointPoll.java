package dev.isthmus.compiler.machine;

import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.abi.WasmAbi;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;

import static dev.isthmus.x64.OperandSize.DWORD;

/**
 * The safepoint poll both tiers emit where a computation could otherwise run for ever: at the entry of every
 * function that calls (recursion goes through a call) and at every loop header (every back-edge lands there).
 *
 * <pre>
 *   test [r15 + POLL], eax        4 bytes; reads the instance's poll page, writes only the flags, no branch
 * </pre>
 * The poll page ({@link VmContextLayout#POLL_PAGE_SIZE} bytes just below the page-aligned vmctx) is readable, so
 * the poll costs one load that hits the cache. To interrupt the instance the runtime makes it unreadable: the next
 * poll faults, and the signal shim (the page is registered as a fault region with trap code {@code INTERRUPTED})
 * turns the fault into the trap. The flags are clobbered: emit it only where no flags are live (block starts).
 */
public final class SafepointPoll {
    private SafepointPoll() {
    }

    /** The poll's operand: the word at {@code r15 + POLL}. */
    public static final Mem OPERAND = Mem.of(WasmAbi.VMCTX, VmContextLayout.POLL);

    /**
     * The system property that, set to {@code false} while a module is compiled, leaves the polls out of its code:
     * for measuring what they cost ({@code bench/.../PollCost}); instances of such code cannot be interrupted.
     */
    public static final String MEASUREMENT_PROPERTY = "isthmus.safepointPolls";

    /** Emits the poll at the current position. */
    public static void emit(Assembler a) {
        if ("false".equals(System.getProperty(MEASUREMENT_PROPERTY))) return;
        a.test(DWORD, OPERAND, Gpr.RAX);
    }
}
