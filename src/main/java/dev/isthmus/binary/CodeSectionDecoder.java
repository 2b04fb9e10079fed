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
     * Two passes: the bodies' sizes and locals in order, then their instructions, scanned on every core when the
     * section is large ({@link ParallelBodies}). The error is the one reading the bodies in order gives: the first
     * body that fails either pass, a scan failure before a later body's size or locals failure.
     *
     * @param firstFunctionIndex the function index of the first body (the number of imported functions)
     */
    static Result decode(ModuleReader r, int firstFunctionIndex) {
        int n = r.length();
        int sectionStart = r.position();
        int[] starts = new int[n];
        int[] codeAts = new int[n];
        int[] ends = new int[n];
        int[][] counts = new int[n][];
        ValType[][] types = new ValType[n][];
        int headers = 0;                  // bodies whose size and locals were read
        RuntimeException headerFailure = null;
        for (int i = 0; i < n; i++) {
            try {
                int size = r.length();
                starts[i] = r.position();
                ends[i] = starts[i] + size;
                locals(r, i, counts, types);
                codeAts[i] = r.position();
                headers++;
                if (codeAts[i] > ends[i]) break;              // the locals ran past the body: its scan reports it
                r.bytes().skip(ends[i] - codeAts[i]);
            } catch (UnsupportedProposalException e) {
                headerFailure = new UnsupportedProposalException(e.reason(), e.section(), e.offset(),
                        firstFunctionIndex + i);
                break;
            } catch (DecodeException e) {
                headerFailure = new DecodeException(e.reason(), e.section(), e.offset(), firstFunctionIndex + i);
                break;
            }
        }
        FunctionBody[] bodies = new FunctionBody[headers];
        boolean[] dataIndex = new boolean[1];
        int scanned = headers;
        ParallelBodies.forEach(scanned, r.position() - sectionStart, (from, to) -> {
            for (int i = from; i < to; i++) {
                ModuleReader body = r.at(codeAts[i]);
                try {
                    body.scanner().scan();
                    if (body.position() != ends[i]) throw body.malformed("section size mismatch", starts[i]);
                } catch (UnsupportedProposalException e) {
                    throw new UnsupportedProposalException(e.reason(), e.section(), e.offset(), firstFunctionIndex + i);
                } catch (DecodeException e) {
                    throw new DecodeException(e.reason(), e.section(), e.offset(), firstFunctionIndex + i);
                }
                if (body.scanner().sawDataIndex()) dataIndex[0] = true;
                bodies[i] = new FunctionBody(counts[i], types[i],
                        Arrays.copyOfRange(r.bytes().buffer(), codeAts[i], ends[i]), codeAts[i]);
            }
        });
        if (headerFailure != null) throw headerFailure;
        if (headers < n) throw new IllegalStateException("bodies left unread without a failure");
        return new Result(Arrays.asList(bodies), dataIndex[0]);
    }

    /** A body's locals: run-length encoded, at most 2^32 - 1 in all. */
    private static void locals(ModuleReader r, int i, int[][] counts, ValType[][] types) {
        int localsAt = r.position();
        int runs = r.length();
        int[] c = new int[runs];
        ValType[] t = new ValType[runs];
        long total = 0;
        for (int k = 0; k < runs; k++) {
            long count = r.u32();
            t[k] = r.valueType();
            c[k] = (int) count;
            total = Math.min(total + count, MAX_LOCALS + 1);   // saturates: no overflow however many runs
        }
        if (total > MAX_LOCALS) throw r.malformed("too many locals", localsAt);
        counts[i] = c;
        types[i] = t;
    }
}
