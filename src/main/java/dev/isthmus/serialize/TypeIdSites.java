package dev.isthmus.serialize;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.TypeIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The type-id immediates of a module's code: the canonical ids ({@link TypeIds}) are process-wide and compiled into
 * {@code call_indirect} checks as imm32 fields ({@code Assembler.cmpImm32}), the only bytes of the code that depend
 * on the process. The compiler records where it put them ({@link MachineCode#typeIdSites()}); here each recorded
 * site is checked to hold its type's id, and every function with an indirect call but no recorded site is searched
 * for an unrecorded check, so a compiler that forgot one cannot write a file that would be wrong in another process.
 */
final class TypeIdSites {
    private TypeIdSites() {
    }

    /** The type-id sites of {@code code}, compiled in this process from {@code module}. */
    static List<TypeIdSite> find(WasmModule module, MachineCode code) {
        int[] pairs = code.typeIdSites();
        byte[] bytes = code.code();
        Map<Integer, Integer> typeOfId = new HashMap<>();
        int[] ids = TypeIds.ofAll(module);
        for (int t = 0; t < ids.length; t++) typeOfId.putIfAbsent(ids[t], t);
        List<TypeIdSite> sites = new ArrayList<>(pairs.length / 2);
        for (int j = 0; j < pairs.length; j += 2) {
            int offset = pairs[j];
            int type = pairs[j + 1];
            if (offset < 0 || offset > bytes.length - 4 || le32(bytes, offset) != ids[type]) {
                throw notSerializable("the type-id site at code offset " + offset + " does not hold the id of type "
                        + type);
            }
            sites.add(new TypeIdSite(offset, 4, type));
        }
        checkEveryIndirectCallFound(module, code, sites, bytes, typeOfId);
        return List.copyOf(sites);
    }

    /**
     * A defined function with a {@code call_indirect} or {@code return_call_indirect} whose code holds no recorded
     * site but does hold what looks like a type-id check ({@code REX.W 81|83 /7 [reg + TYPE_ID], id} with one of
     * the module's ids): the compiler did not record it, so the module is refused rather than written with an id
     * that would be wrong in another process. A function
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
            int suspect = unrecordedCheck(bytes, start, end, typeOfId);
            if (suspect >= 0) {
                throw notSerializable("function " + (imports + i) + " has an indirect call whose type-id check at"
                        + " code offset " + suspect + " did not change when the ids did");
            }
        }
    }

    /** The offset of something shaped like a type-id check in {@code [start, end)}, or -1. */
    private static int unrecordedCheck(byte[] b, int start, int end, Map<Integer, Integer> typeOfId) {
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
