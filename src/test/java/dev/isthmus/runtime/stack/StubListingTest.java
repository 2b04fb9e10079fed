package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.signal.ListingFiles;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Label;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.zydis.ZydisSupport;
import org.junit.jupiter.api.Test;

/**
 * The exact machine code of the entry trampoline (enter, enterGuarded, enterDirect), recovery and raise stubs, the host-call bridge and the thread
 * hooks, as approved listings (pthread key 7; libc addresses and table addresses print as {@code <address>}).
 */
class StubListingTest {
    private static final int KEY = 7;
    private static final long GETSPECIFIC = 0x7F00_0000_1000L;
    private static final long SETSPECIFIC = 0x7F00_0000_2000L;
    private static final long SIGALTSTACK = 0x7F00_0000_3000L;

    @Test
    void trampolineListing() {
        Assembler asm = new Assembler();
        TrampolineEmitter.Labels labels = TrampolineEmitter.emit(asm, KEY, GETSPECIFIC, false);
        String header = "; lookup at 0x0000, enter at " + hex(labels.enter()) + ", enterGuarded at "
                + hex(labels.enterGuarded()) + ", enterDirect at " + hex(labels.enterDirect()) + ", recovery at "
                + hex(labels.recovery()) + ", raise at " + hex(labels.raise()) + "\n";
        check("trampoline.listing", header, asm);
    }

    @Test
    void hostCallListing() {
        Assembler asm = new Assembler();
        Label raise = asm.newLabel();
        Label hostCall = HostCallEmitter.emit(asm, raise);
        asm.bind(raise);                                      // a stand-in for the raise stub
        asm.ud2();
        check("host-call.listing", "; hostCall at " + hex(hostCall) + ", raise (stand-in) at "
                + hex(raise) + "\n", asm);
    }

    @Test
    void threadHooksListing() {
        Assembler asm = new Assembler();
        Label attach = ThreadHooksEmitter.emitAttach(asm, KEY, new ThreadHooksEmitter.LibcCalls(GETSPECIFIC,
                SETSPECIFIC, SIGALTSTACK, 0x7F00_0000_4000L, 0x7F00_0000_5000L, 0x7F00_0000_6000L, 0x7F00_0000_7000L));
        Label exitHook = ThreadHooksEmitter.emitExitHook(asm);
        check("thread-hooks.listing", "; attach at " + hex(attach) + ", exitHook at " + hex(exitHook) + "\n", asm);
    }

    private static void check(String name, String header, Assembler asm) {
        byte[] code = asm.finish();
        try (Disassembler zydis = ZydisSupport.openOrSkip()) {
            ListingFiles.assertApproved("dev/isthmus/runtime/stack/" + name,
                    header + ListingFiles.normalize(zydis.listing(code, 0)));
        }
    }

    private static String hex(Label label) {
        return String.format("0x%04x", label.position());
    }
}
