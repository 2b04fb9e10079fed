package dev.isthmus.compiler.optimizing.ir;

/** Text form of an {@link IrFunction}, for tests and debugging: {@code v3:i32 = add v1, v2}. */
public final class IrPrinter {
    private IrPrinter() {}

    public static String print(IrFunction f) {
        StringBuilder s = new StringBuilder();
        for (IrBlock b : f.blocks()) {
            s.append('b').append(b.id).append(':');
            if (b.predCount() > 0) {
                s.append("  ; preds");
                for (int i = 0; i < b.predCount(); i++) s.append(" b").append(b.pred(i));
            }
            if (f.isPolling(b.id)) s.append("  ; polls");
            if (f.isUnpolled(b.id)) s.append("  ; unpolled");
            s.append('\n');
            for (int i = 0; i < b.phiCount(); i++) line(f, b.phi(i), s);
            for (int i = 0; i < b.instructionCount(); i++) line(f, b.instruction(i), s);
        }
        return s.toString();
    }

    private static void line(IrFunction f, int v, StringBuilder s) {
        s.append("  ");
        if (f.type(v) != IrType.NONE) s.append('v').append(v).append(':').append(f.type(v).name().toLowerCase()).append(" = ");
        IrOp op = f.op(v);
        boolean callRef = op == IrOp.CALL_INDIRECT && (int) (f.imm(v) >>> 32) == IrOp.CALL_REF_TABLE;
        s.append(callRef ? "call_ref type " + (int) f.imm(v) : op.name().toLowerCase());
        if (op == IrOp.CONST || op == IrOp.PARAM || op == IrOp.CALL || op == IrOp.CALL_RESULT
                || op == IrOp.SIGN_EXTEND || op == IrOp.TRAP || op == IrOp.REF_FUNC || op == IrOp.CAUGHT
                || op == IrOp.THROW) {
            s.append(' ').append(op == IrOp.CONST && f.type(v) == IrType.I32 ? (int) f.imm(v) : f.imm(v));
        }
        boolean simd = op == IrOp.SIMD || op == IrOp.SIMD_LOAD || op == IrOp.SIMD_STORE;
        if (simd) {
            s.append(' ').append(f.simd(v).text());
            if (op != IrOp.SIMD) s.append(" offset ").append(IrOp.memoryOffset(f.imm(v)));
        }
        if (op.ordinal() >= IrOp.TABLE_GET.ordinal() && op.ordinal() <= IrOp.ELEM_DROP.ordinal()) {
            s.append(op == IrOp.ELEM_DROP ? " segment " : " table ").append((int) f.imm(v));
            if (op == IrOp.TABLE_COPY) s.append(" from table ").append(f.imm(v) >>> 32);
            if (op == IrOp.TABLE_INIT) s.append(" segment ").append(f.imm(v) >>> 32);
        }
        int memory = memory(op, f.imm(v));
        if (memory != 0) s.append(" memory ").append(memory);
        if (f.inBounds(v)) s.append(" inbounds");
        if (op == IrOp.MEMORY_COPY && f.imm(v) >>> 32 != 0) s.append(" from memory ").append(f.imm(v) >>> 32);
        int[] a = f.args(v);
        for (int i = 0; i < a.length; i++) {
            s.append(i == 0 && !hasImm(op) && !callRef ? " " : ", ").append('v').append(a[i]);
        }
        if (op.isTerminator()) {
            int[] succ = f.block(f.blockOf(v)).successors;
            for (int t : succ) s.append(" -> b").append(t);
        }
        s.append('\n');
    }

    /** The memory (multiple memories) an instruction accesses, printed when it is not memory 0. */
    private static int memory(IrOp op, long imm) {
        return switch (op) {
            case LOAD, STORE, SIMD_LOAD, SIMD_STORE -> IrOp.memoryIndex(imm);
            case MEMORY_SIZE, MEMORY_BYTES, MEMORY_GROW, MEMORY_FILL -> (int) imm;
            case MEMORY_COPY -> (int) imm;
            case MEMORY_INIT -> (int) (imm >>> 32);
            default -> 0;
        };
    }

    private static boolean hasImm(IrOp op) {
        return op == IrOp.CALL || op == IrOp.CALL_RESULT || op == IrOp.SIGN_EXTEND || op == IrOp.TRAP
                || op == IrOp.CAUGHT || op == IrOp.THROW || (op.ordinal() >= IrOp.TABLE_GET.ordinal() && op.ordinal() <= IrOp.ELEM_DROP.ordinal());
    }
}
