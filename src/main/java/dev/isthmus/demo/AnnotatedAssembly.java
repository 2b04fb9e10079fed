package dev.isthmus.demo;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Label;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An {@link Assembler} session that remembers, for every instruction written by hand, the Intel text the author
 * meant and the byte range it produced, so the result can be printed as a listing:
 *
 * <pre>
 *   0000  53                    push rbx
 *   0001  89 f0                 mov eax, esi
 *         .loop:
 * </pre>
 *
 * <p>The text is the author's intent, not a disassembly; tests check it against an independent disassembler where
 * one is available.
 */
final class AnnotatedAssembly {
    /** One listing line: an instruction (start &lt; end) or a label (start == end). */
    record Line(int start, int end, String text) {
        boolean isLabel() {
            return start == end && text.endsWith(":");
        }
    }

    private final Assembler assembler = new Assembler();
    private final List<Line> lines = new ArrayList<>();
    private byte[] code;

    /** The underlying assembler, for use inside {@link #emit} callbacks. */
    Assembler assembler() {
        return assembler;
    }

    /** Emits one instruction (or a padding run) through {@code instruction} and records it as {@code intelText}. */
    void emit(String intelText, Runnable instruction) {
        int start = assembler.position();
        instruction.run();
        lines.add(new Line(start, assembler.position(), intelText));
    }

    /** Binds {@code label} here and records it as {@code name:}. */
    void bind(String name, Label label) {
        assembler.bind(label);
        lines.add(new Line(assembler.position(), assembler.position(), name + ":"));
    }

    /** Finishes the assembler and returns the machine code. */
    byte[] finish() {
        code = assembler.finish();
        return code.clone();
    }

    /** The machine code produced by {@link #finish()} (a copy). */
    byte[] finishedCode() {
        if (code == null) {
            throw new IllegalStateException("finish() first");
        }
        return code.clone();
    }

    /** The recorded lines, in order. */
    List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The listing: offset, bytes in hex, Intel text; one line per instruction or label. */
    String listing() {
        if (code == null) {
            throw new IllegalStateException("finish() first");
        }
        HexFormat hex = HexFormat.ofDelimiter(" ");
        StringBuilder out = new StringBuilder();
        for (Line line : lines) {
            if (line.isLabel()) {
                out.append("      ").append(line.text()).append('\n');
                continue;
            }
            if (line.start() == line.end()) {
                continue;                      // e.g. an alignment that needed no padding
            }
            String bytes = hex.formatHex(code, line.start(), line.end());
            out.append(String.format("%04x  %-30s %s%n", line.start(), bytes, line.text()));
        }
        return out.toString();
    }
}
