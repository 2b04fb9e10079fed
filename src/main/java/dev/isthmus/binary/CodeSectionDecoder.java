package dev.isthmus.binary;

import dev.isthmus.model.FunctionBody;
import dev.isthmus.binary.DecodeException;
import dev.isthmus.model.ValType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The code section (id 10): one entry per defined function, each sized, holding the locals and the body.
 * <pre>
 *   code   ::= u32(size) func                    size = byte length of func
 *   func   ::= vec(locals) expr
 *   locals ::= u32(count) valtype                 (run-length encoded; total count below 2^32)
 * </pre>
 * Each body is scanned in full for well-formedness (see {@link ExpressionScanner}), so that a module that is both
 * malformed and invalid is reported as malformed. Errors carry the function's index in the function index space.
 */
final class CodeSectionDecoder {
    private static final long MAX_LOCALS = 0xFFFF_FFFFL;

    private CodeSectionDecoder() {}

    /** The bodies, and whether any of them uses {@code memory.init} or {@code data.drop}. */
    record Result(List<FunctionBody> bodies, boolean usesDataIndex) {}

    /**
     * @param firstFunctionIndex the function index of the first body (the number of imported functions)
     */
    static Result decode(ModuleReader r, int firstFunctionIndex) {
        ExpressionScanner scanner = r.scanner();
        scanner.resetDataIndex();
        int n = r.length();
        List<FunctionBody> bodies = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            int functionIndex = firstFunctionIndex + i;
            try {
                bodies.add(body(r));
            } catch (UnsupportedProposalException e) {
                throw new UnsupportedProposalException(e.reason(), e.section(), e.offset(), functionIndex);
            } catch (DecodeException e) {
                throw new DecodeException(e.reason(), e.section(), e.offset(), functionIndex);
            }
        }
        return new Result(bodies, scanner.sawDataIndex());
    }

    private static FunctionBody body(ModuleReader r) {
        int size = r.length();
        int start = r.position();

        int localsAt = r.position();
        int runs = r.length();
        int[] counts = new int[runs];
        ValType[] types = new ValType[runs];
        long total = 0;
        for (int i = 0; i < runs; i++) {
            long count = r.u32();
            types[i] = r.valueType();
            counts[i] = (int) count;
            total = Math.min(total + count, MAX_LOCALS + 1);   // saturates: no overflow however many runs
        }
        if (total > MAX_LOCALS) throw r.malformed("too many locals", localsAt);

        int codeAt = r.position();
        r.scanner().scan();
        int end = r.position();
        if (end != start + size) throw r.malformed("section size mismatch", start);
        return new FunctionBody(counts, types, Arrays.copyOfRange(r.bytes().buffer(), codeAt, end), codeAt);
    }
}
