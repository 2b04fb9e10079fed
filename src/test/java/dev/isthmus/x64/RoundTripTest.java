package dev.isthmus.x64;

import dev.isthmus.explore.Disassembler;
import dev.isthmus.zydis.ZydisSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every instruction form x every register x every addressing shape x every operand size, decoded by Zydis:
 * each emitted instance must decode as exactly one instruction spanning exactly the emitted bytes, printing the
 * text derived from the intended operands ({@link IntelSyntax}). Operand combinations the ISA cannot encode
 * (ah..bh with REX) must be rejected by the assembler.
 */
class RoundTripTest {
    private static final long BASE_ADDRESS = 0x7F00_0000_0000L;

    @Test
    void everyFormDecodesToItsIntendedText() {
        CaseList list = new CaseList();
        IntegerForms.addAll(list);
        SseForms.addAll(list);
        SimdForms.addAll(list);

        Assembler asm = new Assembler();
        List<CaseList.Case> emitted = new ArrayList<>();
        List<Integer> bounds = new ArrayList<>();
        int rejected = 0;
        List<String> mismatches = new ArrayList<>();
        for (CaseList.Case c : list.cases) {
            if (c.rejected()) {
                Assembler scratch = new Assembler();
                try {
                    c.emit().accept(scratch);
                    mismatches.add("accepted an unencodable combination: " + scratch.position() + " bytes emitted");
                } catch (IllegalArgumentException expected) {
                    rejected++;
                }
                continue;
            }
            bounds.add(asm.position());
            c.emit().accept(asm);
            emitted.add(c);
        }
        bounds.add(asm.position());
        byte[] code = asm.finish();

        try (Disassembler zydis = ZydisSupport.openOrSkip()) {
            for (int i = 0; i < emitted.size(); i++) {
                int start = bounds.get(i), end = bounds.get(i + 1);
                Disassembler.Decoded d = zydis.decodeOne(code, start, BASE_ADDRESS);
                String expected = emitted.get(i).expected().apply(BASE_ADDRESS + end);
                boolean lengthOk = d.length() == end - start;
                boolean textOk = IntelSyntax.normalize(d.text()).equals(IntelSyntax.normalize(expected));
                if (!lengthOk || !textOk) {
                    mismatches.add(String.format("expected %-50s got %-50s length %d of %d bytes: %s", expected,
                            d.text(), d.length(), end - start, hex(code, start, end)));
                }
            }
        }
        System.out.printf("x64 round trip: %d instances decoded by Zydis, %d unencodable combinations rejected, "
                + "%d mismatches%n", emitted.size(), rejected, mismatches.size());
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " mismatches, first ones:\n"
                    + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
        }
        assertTrue(emitted.size() > 10_000, "too few instances: " + emitted.size());
        assertEquals(0, mismatches.size());
    }

    private static String hex(byte[] code, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) sb.append(String.format("%02x ", code[i] & 0xFF));
        return sb.toString().trim();
    }
}
