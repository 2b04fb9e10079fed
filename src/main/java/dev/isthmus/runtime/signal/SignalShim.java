package dev.isthmus.runtime.signal;

import static dev.isthmus.os.LinuxConstants.SA_ONSTACK;
import static dev.isthmus.os.LinuxConstants.SA_RESETHAND;
import static dev.isthmus.os.LinuxConstants.SA_RESTART;
import static dev.isthmus.os.LinuxConstants.SA_SIGINFO;
import static dev.isthmus.os.LinuxConstants.SIGBUS;
import static dev.isthmus.os.LinuxConstants.SIGILL;
import static dev.isthmus.os.LinuxConstants.SIGSEGV;
import static dev.isthmus.os.LinuxConstants.SIG_DFL;
import static dev.isthmus.os.LinuxConstants.SIG_IGN;

import dev.isthmus.os.SigactionStruct;
import dev.isthmus.os.Signals;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Label;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Installs the fault shim ({@link ShimEmitter}) as the process's handler for SIGSEGV, SIGBUS and SIGILL, chaining
 * to whatever was installed before (HotSpot's handler in a JVM).
 *
 * <p>For each signal: read the current action; record its handler in {@link ShimState} (before installing, so a
 * fault on another thread in between already chains correctly); install the shim with the previous action's mask
 * and flags plus {@code SA_SIGINFO | SA_ONSTACK} (minus {@code SA_RESETHAND}). With no previous handler
 * ({@code SIG_DFL}/{@code SIG_IGN}) the flags are {@code SA_SIGINFO | SA_ONSTACK | SA_RESTART}.
 *
 * <p>{@link #install()} is idempotent and process-wide; the shim is never uninstalled (code may be running that
 * relies on it). SIGFPE is not handled: generated code checks divisors and overflow explicitly (a {@code #DE}
 * cannot tell "divide by zero" from "overflow" anyway).
 */
public final class SignalShim {
    private SignalShim() {
    }

    /** The signals the shim handles. */
    public static final List<Integer> SIGNALS = List.of(SIGSEGV, SIGBUS, SIGILL);

    private static CodeMemory code;
    private static long shimAddress;
    private static ShimState state;

    /** Installs the shim for {@link #SIGNALS} unless already installed. Thread-safe. */
    public static synchronized void install() {
        if (code != null) {
            return;
        }
        ShimState newState = new ShimState();
        Assembler asm = new Assembler();
        Label shim = ShimEmitter.emit(asm, newState);
        byte[] bytes = asm.finish();
        CodeMemory memory = CodeMemory.of(bytes);
        long address = memory.address() + shim.position();
        try (Arena arena = Arena.ofConfined()) {
            for (int signo : SIGNALS) {
                MemorySegment previous = Signals.currentAction(signo, arena);
                long previousHandler = SigactionStruct.handler(previous);
                if (previousHandler == address) {
                    continue;
                }
                newState.setPrevious(signo, previousHandler);
                MemorySegment action = SigactionStruct.allocate(arena);
                SigactionStruct.setHandler(action, address);
                SigactionStruct.copyMask(previous, action);
                int flags = previousHandler == SIG_DFL || previousHandler == SIG_IGN
                        ? SA_RESTART
                        : SigactionStruct.flags(previous) & ~SA_RESETHAND;
                SigactionStruct.setFlags(action, flags | SA_SIGINFO | SA_ONSTACK);
                Signals.sigaction(signo, action, null);
            }
        }
        state = newState;
        shimAddress = address;
        code = memory;
    }

    /** Whether {@link #install()} has run. */
    public static synchronized boolean isInstalled() {
        return code != null;
    }

    /** The shim's entry address (0 before installation). */
    public static synchronized long handlerAddress() {
        return shimAddress;
    }

    /** How many faults the shim has turned into traps since installation. */
    public static synchronized long trappedCount() {
        return state == null ? 0 : state.trapped();
    }

    /** How many faults the shim has passed on to the previous handler since installation. */
    public static synchronized long chainedCount() {
        return state == null ? 0 : state.chained();
    }

    /** The handler the shim chains to for {@code signo} (0 before installation or for SIG_DFL). */
    public static synchronized long previousHandler(int signo) {
        return state == null ? 0 : state.previous(signo);
    }
}
