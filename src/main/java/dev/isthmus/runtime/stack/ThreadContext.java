package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.ThreadContextLayout;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.os.StackStruct;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The Java owner of one native execution context ({@link ThreadContextLayout}) and the memory it points to: the
 * wasm stack, the alternate signal stack, and the stack's registration in {@link FaultTables#stacks()}.
 *
 * <pre>
 *   ThreadContext ──owns──▶ context struct (ThreadContextLayout)  ◀── pthread key value of its OS thread
 *                 ──owns──▶ WasmStack (guard registered as "call stack exhausted"; its header's CONTEXT_SLOT
 *                           points back at the context struct)
 *                 ──owns──▶ AltSignalStack (installed by attach, disabled by the exit hook)
 *                 ──owns──▶ stacks-table entry [stack base, stack top) → context address
 * </pre>
 */
final class ThreadContext {
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private final Arena arena;
    private final MemorySegment memory;
    private final WasmStack stack;
    private final AltSignalStack altStack;
    private final Registration stackRegistration;

    private ThreadContext(Arena arena, MemorySegment memory, WasmStack stack, AltSignalStack altStack,
            Registration stackRegistration) {
        this.arena = arena;
        this.memory = memory;
        this.stack = stack;
        this.altStack = altStack;
        this.stackRegistration = stackRegistration;
    }

    /** Maps the stacks and fills in a context that is not yet attached to any thread. */
    static ThreadContext create(long altStackSize, long recoveryAddress) {
        WasmStack stack = WasmStack.allocate();
        AltSignalStack altStack = null;
        Arena arena = null;
        try {
            altStack = AltSignalStack.allocate(altStackSize);
            arena = Arena.ofShared();
            MemorySegment memory = arena.allocate(ThreadContextLayout.LAYOUT);
            memory.set(JAVA_LONG, ThreadContextLayout.RECOVERY_PC, recoveryAddress);
            memory.set(JAVA_LONG, ThreadContextLayout.WASM_RSP, stack.top());
            memory.set(JAVA_LONG, ThreadContextLayout.STACK_LIMIT, stack.limit());
            memory.set(JAVA_LONG, ThreadContextLayout.STATE, ThreadContextLayout.LIVE);
            stack.setContext(memory.address());
            MemorySegment alt = memory.asSlice(ThreadContextLayout.ALT_STACK, StackStruct.SIZE);
            StackStruct.setBase(alt, altStack.sp());
            StackStruct.setSize(alt, altStack.size());
            StackStruct.setFlags(alt, 0);
            Registration registration = FaultTables.registerStack(stack.base(), stack.top(), memory.address());
            return new ThreadContext(arena, memory, stack, altStack, registration);
        } catch (RuntimeException | Error e) {
            if (arena != null) {
                arena.close();
            }
            if (altStack != null) {
                altStack.close();
            }
            stack.close();
            throw e;
        }
    }

    /** The native address of the context (also its landing's address). */
    long address() {
        return memory.address();
    }

    /** The wasm stack. */
    WasmStack stack() {
        return stack;
    }

    /** Whether the exit hook has run: the OS thread is gone and nothing can run on these stacks any more. */
    boolean hasExited() {
        return (long) LONG.getVolatile(memory, ThreadContextLayout.STATE) == ThreadContextLayout.EXITED;
    }

    /** Releases everything. Only for a context never attached, or one whose thread has exited. */
    void free() {
        stackRegistration.close();
        stack.close();
        altStack.close();
        arena.close();
    }
}
