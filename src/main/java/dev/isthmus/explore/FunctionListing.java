package dev.isthmus.explore;

import java.util.List;

/**
 * One function's two listings side by side: its wasm instructions and the machine instructions compiled from
 * them, each machine instruction tagged with the module byte offset of the wasm instruction it came from.
 *
 * @param index    the function index (imports first)
 * @param name     the name from the name section, an export name, or {@code "func[index]"}
 * @param wasm     the wasm instructions in order
 * @param machine  the machine instructions in order (empty when no disassembler was available)
 */
public record FunctionListing(int index, String name, List<WasmLine> wasm, List<MachineLine> machine) {
    public FunctionListing {
        wasm = List.copyOf(wasm);
        machine = List.copyOf(machine);
    }

    /**
     * One wasm instruction.
     *
     * @param offset its byte offset in the module
     * @param depth  its block nesting depth (for indentation)
     * @param text   its text, e.g. {@code "i32.add"}
     */
    public record WasmLine(int offset, int depth, String text) {}

    /**
     * One machine instruction.
     *
     * @param address    its offset in the module's machine code
     * @param bytes      its bytes in hex, e.g. {@code "48 89 c8"}
     * @param text       Intel syntax
     * @param wasmOffset the module byte offset of the wasm instruction it implements, or -1 (prologue, data)
     */
    public record MachineLine(int address, String bytes, String text, int wasmOffset) {}

    /** Plain text: a header line, the wasm instructions indented by depth, then the machine code. */
    public String text() {
        StringBuilder s = new StringBuilder(";; func ").append(index);
        if (name != null) s.append(' ').append(name);
        s.append('\n');
        for (WasmLine w : wasm) {
            s.append(String.format("%8x  ", w.offset())).append("  ".repeat(w.depth())).append(w.text()).append('\n');
        }
        s.append(";; machine code\n");
        for (MachineLine m : machine) {
            s.append(String.format("%8x  %-30s %s%n", m.address(), m.bytes(), m.text()));
        }
        return s.append('\n').toString();
    }
}
