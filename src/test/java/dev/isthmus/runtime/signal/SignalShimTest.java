package dev.isthmus.runtime.signal;

import static dev.isthmus.os.LinuxConstants.SA_ONSTACK;
import static dev.isthmus.os.LinuxConstants.SA_SIGINFO;
import static dev.isthmus.os.LinuxConstants.SIG_IGN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.os.SigactionStruct;
import dev.isthmus.os.Signals;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Installation is idempotent and keeps the JVM's handler to chain to. */
class SignalShimTest {
    @Test
    void installsOnceAndRemembersTheJvmHandler() {
        SignalShim.install();
        long shim = SignalShim.handlerAddress();
        SignalShim.install();
        assertEquals(shim, SignalShim.handlerAddress());
        try (Arena arena = Arena.ofConfined()) {
            for (int signo : SignalShim.SIGNALS) {
                MemorySegment action = Signals.currentAction(signo, arena);
                assertEquals(shim, SigactionStruct.handler(action), "handler of signal " + signo);
                int flags = SigactionStruct.flags(action);
                assertEquals(SA_SIGINFO | SA_ONSTACK, flags & (SA_SIGINFO | SA_ONSTACK), "flags of " + signo);
                long previous = SignalShim.previousHandler(signo);
                assertTrue(previous > SIG_IGN, "HotSpot had a handler for " + signo + ": " + previous);
                assertNotEquals(shim, previous);
            }
        }
    }
}
