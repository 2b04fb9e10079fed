package dev.isthmus.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.explore.Disassembler;
import dev.isthmus.zydis.ZydisSupport;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written Intel text of every demo instruction must be what Zydis decodes from the bytes at that offset,
 * with the same length: so the listing {@link Demo#listing()} prints is truthful.
 */
class DemoListingZydisTest {
    @Test
    void ackermannListingIsWhatZydisDecodes() {
        checkAgainstZydis(DemoCode.ACKERMANN_CODE);
    }

    @Test
    void fibListingIsWhatZydisDecodes() {
        checkAgainstZydis(DemoCode.FIB_CODE);
    }

    private static void checkAgainstZydis(AnnotatedAssembly assembly) {
        byte[] code = assembly.finishedCode();
        Map<String, Integer> labels = new HashMap<>();
        for (AnnotatedAssembly.Line line : assembly.lines()) {
            if (line.isLabel()) {
                labels.put(line.text().substring(0, line.text().length() - 1), line.start());
            }
        }
        try (Disassembler zydis = ZydisSupport.openOrSkip()) {
            for (AnnotatedAssembly.Line line : assembly.lines()) {
                if (line.isLabel()) {
                    continue;
                }
                if (line.text().startsWith("(align")) {
                    for (int at = line.start(); at < line.end(); ) {
                        Disassembler.Decoded padding = zydis.decodeOne(code, at, 0);
                        assertTrue(padding.text().startsWith("nop"), "padding at " + at + ": " + padding.text());
                        at += padding.length();
                    }
                    continue;
                }
                Disassembler.Decoded decoded = zydis.decodeOne(code, line.start(), 0);
                assertEquals(line.end() - line.start(), decoded.length(), "length of '" + line.text() + "'");
                assertEquals(asZydisPrintsIt(line.text(), labels), decoded.text(), "at offset " + line.start());
            }
        }
    }

    /** Rewrites the author's Intel text in Zydis's spelling: jz/jnz, absolute targets, hex immediates, [b+i*1]. */
    private static String asZydisPrintsIt(String text, Map<String, Integer> labels) {
        String mnemonic = text.contains(" ") ? text.substring(0, text.indexOf(' ')) : text;
        String rest = text.contains(" ") ? text.substring(text.indexOf(' ') + 1) : "";
        mnemonic = switch (mnemonic) {
            case "je" -> "jz";
            case "jne" -> "jnz";
            default -> mnemonic;
        };
        if (rest.isEmpty()) {
            return mnemonic;
        }
        String[] operands = rest.split(", ");
        boolean wide = operands[0].startsWith("r");
        for (int i = 0; i < operands.length; i++) {
            String operand = operands[i];
            if (labels.containsKey(operand)) {
                operands[i] = String.format("0x%016X", labels.get(operand));
            } else if (operand.matches("-?\\d+")) {
                long value = Long.parseLong(operand);
                operands[i] = value >= 0 ? String.format("0x%02X", value)
                        : wide ? String.format("0x%016X", value) : String.format("0x%08X", (int) value);
            } else if (operand.matches("\\[\\w+ \\+ \\w+\\]")) {
                operands[i] = operand.replace(" + ", "+").replace("]", "*1]");
            }
        }
        return mnemonic + " " + String.join(", ", operands);
    }
}
