package dev.isthmus.serialize;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.ModuleCompiler;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.TypeIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the type-id immediates in a module's code without the compiler's help: the canonical ids
 * ({@link TypeIds}) are process-wide and compiled into {@code call_indirect} checks as immediates, the only bytes of
 * the code that depend on the process. The module is compiled a second time with every id substituted (on this
 * thread only, {@link TypeIds#SUBSTITUTE}) by another of the same encoded width, and the two codes are compared:
 * every byte that differs must be the immediate of one id of one of the module's types, in both codes, or the
 * module is refused. The compiler writes every type id as a full imm32 ({@code Assembler.cmpImm32}), so any id of
 * the loading process fits; the substitute sets bit 30 (only the top byte differs; ids are kept below 2^24).
 */
final class TypeIdSites {
    private TypeIdSites() {
    }

    private static final int ID_LIMIT = 1 << 24;
    private static final int IMM32_FLIP = 1 << 30;

    static int substitute(int id) {
        return id | IMM32_FLIP;
    }

    /** The type-id sites of {@code code}, compiled in this process from {@code module} with {@code options}. */
    static List<TypeIdSite> find(WasmModule module, CompilerOptions options, MachineCode code) {
        if (module.tables().isEmpty() && module.importedTableCount() == 0) return List.of(); // no call_indirect
        Map<Integer, Integer> typeOfId = new HashMap<>();
        for (int t = 0; t < module.types().size(); t++) {
            int id = TypeIds.of(module, t);
            if (id >= ID_LIMIT) throw notSerializable("canonical type id " + id + " is beyond " + ID_LIMIT);
            typeOfId.putIfAbsent(id, t);
        }
        MachineCode other;
        try {
            other = ScopedValue.where(TypeIds.SUBSTITUTE, TypeIdSites::substitute)
                    .call(() -> ModuleCompiler.compile(module, options));
        } catch (UnimplementedFeatureException e) {
            throw notSerializable("the module no longer compiles: " + e.getMessage());
        }
        byte[] a = code.code();
        byte[] b = other.code();
        sameLayout(module, code, other, a, b);
        List<TypeIdSite> sites = new ArrayList<>();
        for (int q = 0; q < a.length; q++) {
            if (a[q] == b[q]) continue;
            int x = a[q] & 0xFF;
            Integer type;
            if (q >= 3 && x == 0 && (type = typeOfId.get(le32(a, q - 3))) != null
                    && le32(b, q - 3) == substitute(le32(a, q - 3))) {
                sites.add(new TypeIdSite(q - 3, 4, type));
            } else {
                throw notSerializable("the code at offset " + q + " depends on something other than a type id");
            }
        }
        checkEveryIndirectCallFound(module, code, sites, a, typeOfId);
        return List.copyOf(sites);
    }

    private static void sameLayout(WasmModule module, MachineCode a, MachineCode b, byte[] ca, byte[] cb) {
        boolean same = ca.length == cb.length;
        int imports = module.importedFunctionCount();
        for (int f = imports; same && f < module.functionCount(); f++) {
            same = a.functionOffset(f) == b.functionOffset(f) && a.functionEnd(f) == b.functionEnd(f)
                    && a.unwind(f).equals(b.unwind(f));
        }
        for (int t = 0; same && t < module.types().size(); t++) {
            same = a.entryAdapterOffset(t) == b.entryAdapterOffset(t) && a.hostAdapterOffset(t) == b.hostAdapterOffset(t);
        }
        if (!same) throw notSerializable("compiling the module again gave code of another layout");
    }

    /**
     * A defined function with a {@code call_indirect} or {@code return_call_indirect} whose code holds no site but
     * does hold what looks like a type-id check ({@code REX.W 81|83 /7 [reg + TYPE_ID], id} with one of the
     * module's ids): that check cannot have been compiled under the substitution (compiled on another thread?), so
     * the module is refused rather than written with an id that would be wrong in another process. A function
     * whose indirect calls left no check at all (they were unreachable, after a branch) is fine.
     */
    private static void checkEveryIndirectCallFound(WasmModule module, MachineCode code, List<TypeIdSite> sites,
                                                    byte[] bytes, Map<Integer, Integer> typeOfId) {
        int imports = module.importedFunctionCount();
        int[] offsets = sites.stream().mapToInt(TypeIdSite::offset).toArray();
        for (int i = 0; i < module.codes().size(); i++) {
            int start = code.functionOffset(imports + i);
            int end = code.functionEnd(imports + i);
            boolean found = false;
            for (int o : offsets) found |= o >= start && o < end;
            if (found || !hasIndirectCall(module.codes().get(i).code())) continue;
            int suspect = unsubstitutedCheck(bytes, start, end, typeOfId);
            if (suspect >= 0) {
                throw notSerializable("function " + (imports + i) + " has an indirect call whose type-id check at"
                        + " code offset " + suspect + " did not change when the ids did");
            }
        }
    }

    /** The offset of something shaped like a type-id check in {@code [start, end)}, or -1. */
    private static int unsubstitutedCheck(byte[] b, int start, int end, Map<Integer, Integer> typeOfId) {
        for (int i = start; i + 4 < end; i++) {
            if ((b[i] & 0xFA) != 0x48 || (b[i + 1] & 0xFF) != 0x81 && (b[i + 1] & 0xFF) != 0x83) continue;
            int modrm = b[i + 2] & 0xFF;
            if ((modrm & 0xF8) != 0x78) continue;                  // mod 01 (disp8), reg 7 (cmp)
            int p = i + 3 + ((modrm & 7) == 4 ? 1 : 0);            // a SIB byte for rsp/r12
            if (p + 1 >= end || (b[p] & 0xFF) != FuncRefLayout.TYPE_ID) continue;
            int imm = (b[i + 1] & 0xFF) == 0x83 ? b[p + 1] : p + 5 <= end ? le32(b, p + 1) : -1;
            if (typeOfId.containsKey(imm)) return i;
        }
        return -1;
    }

    private static boolean hasIndirectCall(byte[] body) {
        InstructionReader in = new InstructionReader(new ByteReader(body));
        while (!in.atEnd()) {
            Opcode op = in.next();
            if (op == Opcode.CALL_INDIRECT || op == Opcode.RETURN_CALL_INDIRECT) return true;
        }
        return false;
    }

    static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static CodeFileException notSerializable(String reason) {
        return new CodeFileException(CodeFileException.Kind.NOT_SERIALIZABLE, "cannot write the module: " + reason);
    }
}
