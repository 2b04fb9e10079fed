package dev.isthmus.explore;

import dev.isthmus.model.ExternKind;
import dev.isthmus.model.Export;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.WasmModule;
import dev.isthmus.tooling.MachineListing;
import dev.isthmus.tooling.Tooling;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the {@link FunctionListing}s of a compiled module: each defined function's wasm instructions (printed by
 * {@link Tooling#wasmInstructions}) beside its machine code (decoded by a {@link Disassembler}), machine
 * instructions mapped to wasm ones through {@link MachineListing#wasmOffsetAt(int)}.
 *
 * <pre>{@code
 * MachineListing code = Tooling.compile(module, CompilerOptions.DEFAULT);
 * try (Disassembler zydis = Disassembler.open()) {
 *     List<FunctionListing> listings = Explorer.listings(module, code, zydis);
 * }
 * }</pre>
 */
public final class Explorer {
    private Explorer() {}

    /**
     * The listings of every defined function of {@code module} (decoded and validated), compiled to {@code code}.
     * With a null {@code disassembler} the machine listings are empty.
     */
    public static List<FunctionListing> listings(WasmModule module, MachineListing code, Disassembler disassembler) {
        List<FunctionListing> listings = new ArrayList<>();
        int imports = module.importedFunctionCount();
        for (int i = 0; i < module.codes().size(); i++) {
            int function = imports + i;
            List<FunctionListing.MachineLine> machine = disassembler == null ? List.of()
                    : machineLines(code, function, module.codes().get(i), disassembler);
            listings.add(new FunctionListing(function, functionName(module, function),
                    wasmLines(module.codes().get(i)), machine));
        }
        return listings;
    }

    /** The name section's name of {@code function}, else its first export name, else {@code "func[N]"}. */
    public static String functionName(WasmModule module, int function) {
        String name = module.names().functionNames().get(function);
        if (name != null) return name;
        for (Export export : module.exports()) {
            if (export.kind() == ExternKind.FUNC && export.index() == function) return export.name();
        }
        return "func[" + function + "]";
    }

    private static List<FunctionListing.WasmLine> wasmLines(FunctionBody body) {
        List<FunctionListing.WasmLine> lines = new ArrayList<>();
        int depth = 0;
        for (Tooling.WasmInstruction instruction : Tooling.wasmInstructions(body)) {
            String text = instruction.text();
            boolean closes = text.equals("end") || text.equals("else") || text.startsWith("catch");
            int lineDepth = closes ? Math.max(0, depth - 1) : depth;
            lines.add(new FunctionListing.WasmLine(instruction.offset(), lineDepth, text));
            if (text.equals("end")) depth = Math.max(0, depth - 1);
            else if (instruction.opensBlock()) depth++;
        }
        return lines;
    }

    private static List<FunctionListing.MachineLine> machineLines(MachineListing code, int function, FunctionBody body,
                                                                  Disassembler disassembler) {
        int bodyStart = body.codeOffset();
        int bodyEnd = bodyStart + body.codeUnsafe().length;
        byte[] bytes = code.functionCode(function);
        int start = code.functionOffset(function);
        HexFormat hex = HexFormat.ofDelimiter(" ");
        List<FunctionListing.MachineLine> lines = new ArrayList<>();
        int offset = 0;
        while (offset < bytes.length) {
            Disassembler.Decoded decoded = disassembler.decodeOne(bytes, offset, start);
            int length = decoded.isValid() ? decoded.length() : 1;
            int wasmOffset = code.wasmOffsetAt(start + offset);
            if (wasmOffset < bodyStart || wasmOffset >= bodyEnd) wasmOffset = -1;   // prologue, or another function's
            lines.add(new FunctionListing.MachineLine(start + offset, hex.formatHex(bytes, offset, offset + length),
                    decoded.text(), wasmOffset));
            offset += length;
        }
        return lines;
    }
}
