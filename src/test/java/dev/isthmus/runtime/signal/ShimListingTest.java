package dev.isthmus.runtime.signal;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Label;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.zydis.ZydisSupport;
import org.junit.jupiter.api.Test;

/** The exact machine code of the range lookup and the signal shim, as approved listings. */
class ShimListingTest {
    @Test
    void shimListing() {
        Assembler asm = new Assembler();
        Label shim = ShimEmitter.emit(asm, new ShimState());
        byte[] code = asm.finish();
        try (Disassembler zydis = ZydisSupport.openOrSkip()) {
            String listing = "; lookup at 0x0000, shim at 0x" + String.format("%04x", shim.position()) + "\n"
                    + ListingFiles.normalize(zydis.listing(code, 0));
            ListingFiles.assertApproved("dev/isthmus/runtime/signal/shim.listing", listing);
        }
    }
}
