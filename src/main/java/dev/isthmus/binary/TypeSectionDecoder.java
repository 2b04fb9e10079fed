package dev.isthmus.binary;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;

import java.util.List;

/**
 * The type section (id 1): a vector of function types.
 * <pre>
 *   functype ::= 0x60 vec(valtype) vec(valtype)      parameters, then results
 * </pre>
 * The 0x60 is a one-byte signed LEB128 in the spec's grammar, so a continuation bit there is "integer
 * representation too long", and any other value "malformed function type" — but for GC's forms (rec 0x4E, sub 0x50,
 * sub final 0x4F, array 0x5E, struct 0x5F), which under the 3.0 rules are {@link UnsupportedProposalException}.
 */
final class TypeSectionDecoder {
    private static final int FUNC_FORM = 0x60;

    private TypeSectionDecoder() {}

    private static final int REC = 0x4E;

    /**
     * The types, and the sizes of the recursion groups ({@code 0x4E vec(functype)}, 3.0 format only; empty when
     * there is none): each entry of the section's vector is a group.
     */
    record Types(List<FuncType> types, List<Integer> recGroupSizes) {
    }

    static Types decode(ModuleReader r) {
        List<FuncType> types = new java.util.ArrayList<>();
        List<Integer> sizes = new java.util.ArrayList<>();
        boolean[] grouped = {false};
        r.vector(() -> {
            if (r.typedReferencesAllowed() && r.peekByte() == REC) {
                r.u8();
                List<FuncType> group = r.vector(() -> functionType(r));
                types.addAll(group);
                sizes.add(group.size());
                grouped[0] = true;
            } else {
                types.add(functionType(r));
                sizes.add(1);
            }
            return null;
        });
        return new Types(types, grouped[0] ? sizes : List.of());
    }

    private static FuncType functionType(ModuleReader r) {
        int at = r.position();
        int form = r.s7Byte();
        if (form != FUNC_FORM) {
            String gc = UnsupportedProposalException.gcConstruct(form);
            if (gc != null && !gc.startsWith("heap type") && r.typedReferencesAllowed()) throw r.unsupportedGc(gc, form, at);
            throw r.malformed("malformed function type", at);
        }
        List<ValType> params = r.vector(r::valueType);
        List<ValType> results = r.vector(r::valueType);
        return new FuncType(params, results);
    }
}
