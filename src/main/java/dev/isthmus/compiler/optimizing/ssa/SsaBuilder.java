package dev.isthmus.compiler.optimizing.ssa;

import dev.isthmus.compiler.machine.FuelMetering;
import dev.isthmus.binary.BlockType;
import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.Immediate;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.optimizing.ir.IrBlock;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrOp;
import dev.isthmus.compiler.optimizing.ir.IrType;
import dev.isthmus.compiler.optimizing.ir.SimdInfo;
import dev.isthmus.compiler.machine.simd.SimdLowering;
import dev.isthmus.validate.InstructionSignatures;
import dev.isthmus.compiler.optimizing.ir.UnsupportedInTierException;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.TrapCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the SSA form of one function in a single pass over its instructions, in the style of Braun et al.,
 * "Simple and Efficient Construction of Static Single Assignment Form": locals are variables, each block remembers
 * their current definitions, a read in a block with several predecessors makes a phi, and blocks whose predecessors
 * are not all known yet (loop headers, joins) are <em>unsealed</em>: their phis stay incomplete until sealing.
 * The wasm operand stack holds value ids; values flowing to a label become phis of the label's block.
 *
 * <p>A conditional branch never targets a block with phis directly: each such edge gets its own block (no
 * critical edges), so phi moves always sit at the end of a block with one successor.
 */
public final class SsaBuilder {
    private static final int LOOP = 1;
    private static final int IF = 2;
    private static final int FUNCTION = 3;
    private static final int BLOCK = 0;
    /** Functions with more locals are left to the baseline (definitions are kept per block and local). */
    private static final int MAX_LOCALS = 2048;

    /** An open block, loop, if or the function body. */
    private static final class Frame {
        final int kind;
        final IrBlock label;
        final IrBlock join;
        final IrBlock elseBlock;
        final int height;
        final IrType[] params;
        final IrType[] results;
        final int[] labelPhis;
        final int[] paramValues;
        boolean elseSeen;
        /** Exception handling: {@link #TRY_TABLE}, {@link #LEGACY_TRY} or 0 (no handler). */
        int tryKind;
        /** A try_table's clauses: kinds (FrameUnwind's), tags, and the frames their labels name. */
        int[] catchKinds;
        int[] catchTags;
        Frame[] catchTargets;
        /** A legacy try still in its body (its catches not met yet): its calls and throws are covered. */
        boolean inBody;
        /** A legacy try's covered sites (calls and throws of its body), and their rank at this try. */
        List<Site> parked;
        List<Integer> parkedPositions;
        /** A legacy try's clauses so far. */
        int clauseCount;
        /** In a legacy catch block: the exnref it caught (what rethrow throws), or -1. */
        int caught = -1;

        Frame(int kind, IrBlock label, IrBlock join, IrBlock elseBlock, int height, IrType[] params,
              IrType[] results, int[] labelPhis, int[] paramValues) {
            this.kind = kind;
            this.label = label;
            this.join = join;
            this.elseBlock = elseBlock;
            this.height = height;
            this.params = params;
            this.results = results;
            this.labelPhis = labelPhis;
            this.paramValues = paramValues;
        }

        int arity() {
            return kind == LOOP ? params.length : results.length;
        }
    }

    /** Frame {@code tryKind}s. */
    private static final int TRY_TABLE = 1;
    private static final int LEGACY_TRY = 2;
    /** FrameUnwind's clause kinds (the tier does not depend on the runtime's classes). */
    private static final int CATCH = 0, CATCH_REF = 1, CATCH_ALL = 2, CATCH_ALL_REF = 3;

    /**
     * A call or throw inside a try: the block it ends, and how many tries outward its clauses have been ranked so
     * far (a clause of an inner try comes before those of an outer one in the handler table).
     */
    private static final class Site {
        final IrBlock block;
        int position;
        /** The block's successors: the continuation (if any), then its landing blocks (set on the block at the end). */
        int[] successors;
        int count;

        Site(IrBlock block) {
            this.block = block;
            this.successors = block.successors.clone();
            this.count = successors.length;
        }
    }

    /** Every site, to give its block its successors once all its landing blocks exist. */
    private final List<Site> sites = new ArrayList<>();
    /** Landing blocks made so far, and the most a function gets (beyond that the baseline compiles it). */
    private int landings;
    private int landingLimit;
    /**
     * Phis of locals made so far, and the most a function gets: the SSA form of some shapes is quadratic in the
     * code (n nested loops each counting its own local: every counter is live around every loop outside its own,
     * n^2/2 phis); beyond {@value #PHIS_PER_BYTE} per byte of code (and 4096 in any function) the baseline
     * compiles the function, in time linear in its code.
     */
    private int phis;
    private int phiLimit;
    static final int PHIS_PER_BYTE = 8;

    /** Open tries whose calls and throws are covered (try_tables, legacy tries in their body). */
    private int handlerFrames;
    /** Whether the function has a legacy rethrow (decided at its first legacy try; its catches then keep the exnref). */
    private Boolean rethrows;
    private FunctionBody body;

    private final WasmModule module;
    /** Whether the module has a memory64 memory or a table64 table (whose instructions this tier declines). */
    private final boolean any64;
    private final IrFunction f;
    private final IrType[] localTypes;
    private final List<int[]> defs = new ArrayList<>();
    private final List<int[]> incomplete = new ArrayList<>();
    private boolean[] sealed = new boolean[16];
    private final List<Frame> frames = new ArrayList<>();
    private int[] stack = new int[16];
    private int size;
    private IrBlock cur;
    private int skipDepth;
    private int offset;

    private final SsaOptions options;

    /** What the target supports beyond plain integer code. */
    public record SsaOptions(boolean bitCounts, boolean fuel) {
        public static final SsaOptions ALL = new SsaOptions(true);

        /** Without fuel metering. */
        public SsaOptions(boolean bitCounts) {
            this(bitCounts, false);
        }
    }

    private SsaBuilder(WasmModule module, FuncType type, IrType[] localTypes, SsaOptions options) {
        this.module = module;
        boolean any64 = false;
        for (int k = 0; k < module.memoryCount(); k++) any64 |= module.memoryType(k).address64();
        for (int k = 0; k < module.tableCount(); k++) any64 |= module.tableType(k).address64();
        this.any64 = any64;
        this.options = options;
        this.localTypes = localTypes;
        this.f = new IrFunction(types(type.params()), types(type.results()));
    }

    /**
     * The IR of defined function {@code functionIndex} (function index space) of a validated module.
     *
     * @throws UnsupportedInTierException when the function uses something the optimizing tier does not compile
     */
    public static IrFunction build(WasmModule module, int functionIndex) {
        return build(module, functionIndex, SsaOptions.ALL);
    }

    /** As {@link #build(WasmModule, int)} with only the operations {@code options} allows. */
    public static IrFunction build(WasmModule module, int functionIndex, SsaOptions options) {
        FuncType type = module.functionType(functionIndex);
        FunctionBody body = module.codes().get(functionIndex - module.importedFunctionCount());
        long declared = body.localCount();
        if (type.params().size() + declared > MAX_LOCALS) throw new UnsupportedInTierException("many locals");
        IrType[] locals = new IrType[type.params().size() + (int) declared];
        int k = 0;
        for (ValType t : type.params()) locals[k++] = IrType.of(t);
        for (int run = 0; run < body.localRuns(); run++) {
            IrType t = IrType.of(body.localRunType(run));
            for (int j = 0; j < body.localRunCount(run); j++) locals[k++] = t;
        }
        SsaBuilder b = new SsaBuilder(module, type, locals, options);
        b.run(body);
        return b.f;
    }

    private static IrType[] types(List<ValType> ts) {
        IrType[] r = new IrType[ts.size()];
        for (int i = 0; i < r.length; i++) r[i] = IrType.of(ts.get(i));
        return r;
    }

    private IrType irType(ValType t) {
        return IrType.of(t);
    }

    // ---------------------------------------------------------------- variables (Braun et al.)

    private IrBlock newBlock(boolean seal) {
        IrBlock b = f.newBlock();
        defs.add(null);
        incomplete.add(null);
        if (b.id >= sealed.length) sealed = Arrays.copyOf(sealed, sealed.length * 2);
        sealed[b.id] = seal;
        return b;
    }

    private void write(int variable, IrBlock b, int value) {
        int[] d = defs.get(b.id);
        if (d == null) {
            d = new int[localTypes.length];
            Arrays.fill(d, -1);
            defs.set(b.id, d);
        }
        d[variable] = value;
    }

    private int read(int variable, IrBlock block) {
        // walk up single-predecessor chains without recursion
        IrBlock b = block;
        int value;
        while (true) {
            int[] d = defs.get(b.id);
            if (d != null && d[variable] >= 0) {
                value = d[variable];
                break;
            }
            if (sealed[b.id] && b.predCount() == 1) {
                b = f.block(b.pred(0));
                continue;
            }
            value = readSlow(variable, b);
            break;
        }
        for (IrBlock c = block; c != b; c = f.block(c.pred(0))) write(variable, c, value);
        return value;
    }

    private int readSlow(int variable, IrBlock b) {
        IrType t = localTypes[variable];
        if (++phis > phiLimit) throw new UnsupportedInTierException("more than " + phiLimit + " phis of locals");
        if (!sealed[b.id]) {
            int phi = f.newPhi(b, t);
            int[] inc = incomplete.get(b.id);
            inc = inc == null ? new int[2] : Arrays.copyOf(inc, inc.length + 2);
            inc[inc.length - 2] = variable;
            inc[inc.length - 1] = phi;
            incomplete.set(b.id, inc);
            write(variable, b, phi);
            return phi;
        }
        if (b.predCount() == 0) { // unreachable block: any value will do
            int zero = f.newPhi(b, t);
            write(variable, b, zero);
            return zero;
        }
        int phi = f.newPhi(b, t);
        write(variable, b, phi);
        addPhiOperands(variable, phi, b);
        return phi;
    }

    private void addPhiOperands(int variable, int phi, IrBlock b) {
        int[] ops = new int[b.predCount()];
        for (int i = 0; i < ops.length; i++) ops[i] = read(variable, f.block(b.pred(i)));
        f.setPhiOperands(phi, ops);
    }

    private void seal(IrBlock b) {
        int[] inc = incomplete.get(b.id);
        if (inc != null) {
            for (int i = 0; i < inc.length; i += 2) addPhiOperands(inc[i], inc[i + 1], b);
            incomplete.set(b.id, null);
        }
        sealed[b.id] = true;
    }

    // ---------------------------------------------------------------- stack

    private void push(int v) {
        if (size == stack.length) stack = Arrays.copyOf(stack, size * 2);
        stack[size++] = v;
    }

    private int pop() {
        return stack[--size];
    }

    private int[] top(int n) {
        return Arrays.copyOfRange(stack, size - n, size);
    }

    // ---------------------------------------------------------------- edges

    /** Ends the current block with a jump to {@code target}, passing {@code values} to its label phis. */
    private void jump(IrBlock from, Frame target, int[] values) {
        f.terminate(from, IrOp.JUMP, 0, offset, new int[] {target.label.id});
        edge(from, target, values);
    }

    private void edge(IrBlock from, Frame target, int[] values) {
        f.addEdge(from, target.label);
        for (int i = 0; i < target.labelPhis.length; i++) f.addPhiOperand(target.labelPhis[i], values[i]);
    }

    /** A block of its own for a conditional edge from the current block to {@code target}. */
    private IrBlock edgeBlock(Frame target, int[] values) {
        IrBlock e = newBlock(true);
        f.addEdge(cur, e);
        jump(e, target, values);
        return e;
    }

    private Frame frame(int depth) {
        return frames.get(frames.size() - 1 - depth);
    }

    // ---------------------------------------------------------------- instructions

    private void run(FunctionBody body) {
        this.body = body;
        // linear in the body: 4 landing blocks per byte of code at most, and 4096 in any function
        this.landingLimit = Math.max(4096, 4 * body.codeUnsafe().length);
        this.phiLimit = Math.max(4096, PHIS_PER_BYTE * body.codeUnsafe().length);
        IrBlock entry = newBlock(true);
        cur = entry;
        int params = f.params.length;
        for (int i = 0; i < localTypes.length; i++) {
            IrType t = localTypes[i];
            write(i, entry, i < params ? f.append(entry, IrOp.PARAM, t, i, -1)
                    : t == IrType.V128 ? v128Zero(entry) : f.append(entry, IrOp.CONST, t, 0, -1));
        }
        IrBlock exit = newBlock(false);
        frames.add(new Frame(FUNCTION, exit, exit, null, 0, new IrType[0], f.results, phis(exit, f.results), null));
        byte[] code = body.codeUnsafe();
        InstructionReader r = new InstructionReader(new ByteReader(code, 0, code.length, body.codeOffset(),
                "unexpected end"));
        FuelMetering.Plan fuel = options.fuel() ? FuelMetering.plan(body) : null;
        while (!r.atEnd() && !frames.isEmpty()) {
            Opcode op = r.next();
            offset = (int) r.offset();
            if (cur == null) {
                skip(op, r);
                continue;
            }
            if (fuel != null) {                          // a run starts here: its charge (and check), in place
                int run = fuel.runAt(offset);
                if (run >= 0 && (fuel.check(run) || fuel.cost(run) != 0)) {
                    f.append(cur, IrOp.FUEL, IrType.NONE, fuel.cost(run) << 1 | (fuel.check(run) ? 1 : 0), offset);
                }
            }
            instruction(op, r);
        }
        finishSites();
    }

    private int[] phis(IrBlock b, IrType[] types) {
        int[] p = new int[types.length];
        for (int i = 0; i < p.length; i++) p[i] = f.newPhi(b, types[i]);
        return p;
    }

    private void skip(Opcode op, InstructionReader r) {
        switch (op) {
            case BLOCK, LOOP, IF, TRY, TRY_TABLE -> skipDepth++;
            case ELSE -> { if (skipDepth == 0) doElse(); }
            case CATCH -> { if (skipDepth == 0) legacyCatch(r.index()); }
            case CATCH_ALL -> { if (skipDepth == 0) legacyCatch(-1); }
            case DELEGATE -> {
                if (skipDepth > 0) skipDepth--;
                else delegate(r.index());
            }
            case END -> {
                if (skipDepth > 0) skipDepth--;
                else doEnd();
            }
            default -> { }
        }
    }

    private IrType[][] signature(BlockType bt) {
        if (bt.isEmpty()) return new IrType[][] {new IrType[0], new IrType[0]};
        if (!bt.isTypeIndex()) return new IrType[][] {new IrType[0], new IrType[] {irType(bt.result())}};
        FuncType ft = module.types().get(bt.typeIndex());
        return new IrType[][] {types(ft.params()), types(ft.results())};
    }

    private void block(BlockType bt) {
        IrType[][] sig = signature(bt);
        IrBlock join = newBlock(false);
        frames.add(new Frame(BLOCK, join, join, null, size - sig[0].length, sig[0], sig[1], phis(join, sig[1]), null));
    }

    private void loop(BlockType bt) {
        IrType[][] sig = signature(bt);
        IrBlock header = newBlock(false);
        int[] headerPhis = phis(header, sig[0]);
        Frame fr = new Frame(LOOP, header, null, null, size - sig[0].length, sig[0], sig[1], headerPhis, null);
        jump(cur, fr, top(sig[0].length));
        size -= sig[0].length;
        for (int p : headerPhis) push(p);
        frames.add(fr);
        cur = header;
    }

    private void ifThen(BlockType bt) {
        IrType[][] sig = signature(bt);
        int cond = pop();
        IrBlock then = newBlock(true);
        IrBlock otherwise = newBlock(true);
        f.terminate(cur, IrOp.BRANCH, 0, offset, new int[] {then.id, otherwise.id}, cond);
        f.addEdge(cur, then);
        f.addEdge(cur, otherwise);
        IrBlock join = newBlock(false);
        frames.add(new Frame(IF, join, join, otherwise, size - sig[0].length, sig[0], sig[1], phis(join, sig[1]),
                top(sig[0].length)));
        cur = then;
    }

    private void doElse() {
        Frame fr = frame(0);
        if (cur != null) jump(cur, fr, top(fr.results.length));
        size = fr.height;
        for (int v : fr.paramValues) push(v);
        fr.elseSeen = true;
        cur = fr.elseBlock;
        skipDepth = 0;
    }

    private void doEnd() {
        Frame top = frames.get(frames.size() - 1);
        if (top.tryKind == TRY_TABLE) handlerFrames--;
        if (top.tryKind == LEGACY_TRY && top.inBody) {        // try ... end: its sites go to the tries around it
            endLegacyBody(top);
            for (Site s : top.parked) route(s, frames.size() - 2);
        }
        Frame fr = frames.remove(frames.size() - 1);
        skipDepth = 0;
        if (fr.kind == LOOP) {
            seal(fr.label);
            if (cur != null) {
                int[] results = top(fr.results.length);
                size = fr.height;
                for (int v : results) push(v);
            }
            return;
        }
        if (fr.kind == IF && !fr.elseSeen) jump(fr.elseBlock, fr, fr.paramValues);
        if (cur != null) jump(cur, fr, top(fr.results.length));
        seal(fr.join);
        size = fr.height;
        if (fr.join.predCount() == 0) {
            cur = null;
            if (fr.kind == FUNCTION) f.terminate(fr.join, IrOp.TRAP, TrapCode.UNREACHABLE.ordinal(), offset, new int[0]);
            return;
        }
        cur = fr.join;
        for (int p : fr.labelPhis) push(p);
        if (fr.kind == FUNCTION) {
            f.terminate(cur, IrOp.RETURN, 0, offset, new int[0], top(fr.results.length));
            cur = null;
        }
    }

    // ---------------------------------------------------------------- exception handling

    /**
     * {@code try_table}: a block whose calls and throws are covered by its clauses; the clauses' labels are
     * resolved outside it.
     */
    private void tryTable(BlockType bt, int[] kinds, int[] tags, int[] labels) {
        Frame[] targets = new Frame[labels.length];
        for (int i = 0; i < labels.length; i++) targets[i] = frame(labels[i]);
        block(bt);
        Frame fr = frame(0);
        fr.tryKind = TRY_TABLE;
        fr.catchKinds = kinds.clone();
        fr.catchTags = tags.clone();
        fr.catchTargets = targets;
        handlerFrames++;
    }

    /** A new site for the call or throw that ended block {@code b}. */
    private Site site(IrBlock b) {
        Site s = new Site(b);
        sites.add(s);
        return s;
    }

    /** Gives each site's block its successors, landing blocks included. */
    private void finishSites() {
        for (Site s : sites) s.block.successors = Arrays.copyOf(s.successors, s.count);
    }

    /** Legacy {@code try}: a block whose body is covered by the catches that follow it. */
    private void legacyTry(BlockType bt) {
        if (rethrows == null) rethrows = hasRethrow();
        block(bt);
        Frame fr = frame(0);
        fr.tryKind = LEGACY_TRY;
        fr.inBody = true;
        fr.parked = new ArrayList<>();
        fr.parkedPositions = new ArrayList<>();
        handlerFrames++;
    }

    /** Whether the function body has a legacy {@code rethrow} (read once, at its first legacy try). */
    private boolean hasRethrow() {
        byte[] code = body.codeUnsafe();
        InstructionReader scan = new InstructionReader(new ByteReader(code, 0, code.length, body.codeOffset(),
                "unexpected end"));
        while (!scan.atEnd()) {
            if (scan.next() == Opcode.RETHROW) return true;
        }
        return false;
    }

    /** The body of legacy try {@code fr} ends: its sites keep their rank here, the tries around it rank next. */
    private void endLegacyBody(Frame fr) {
        fr.inBody = false;
        handlerFrames--;
        for (Site s : fr.parked) fr.parkedPositions.add(s.position++);
    }

    /**
     * Site {@code s} meets the tries from frame {@code from} outward: each try_table adds its clauses (a landing
     * block per clause, branching to the clause's label); a legacy try in its body keeps the site until its catches
     * are known.
     */
    private void route(Site s, int from) {
        for (int i = from; i >= 0; i--) {
            Frame fr = frames.get(i);
            if (fr.tryKind == TRY_TABLE) {
                for (int c = 0; c < fr.catchKinds.length; c++) {
                    IrBlock[] e = new IrBlock[1];
                    int[] values = landing(s, s.position, c, fr.catchKinds[c], fr.catchTags[c], e);
                    jump(e[0], fr.catchTargets[c], values);
                }
                s.position++;
            } else if (fr.tryKind == LEGACY_TRY && fr.inBody) {
                fr.parked.add(s);
                return;
            }
        }
    }

    /**
     * A landing block for clause {@code clause} (of kind {@code kind}, tag {@code tag}) of the site's try ranked
     * {@code position}: an exceptional successor of the site's block, starting with LANDING and the values the
     * clause delivers (returned; the block in {@code out[0]}, left open).
     */
    private int[] landing(Site s, int position, int clause, int kind, int tag, IrBlock[] out) {
        if (++landings > landingLimit) {
            // each covered call or throw gets a landing block per clause of every try around it: deep nests of tries
            // around many calls would make that quadratic (the baseline's pads are one per clause)
            throw new UnsupportedInTierException("more than " + landingLimit + " landing blocks");
        }
        IrBlock e = newBlock(true);
        f.addEdge(s.block, e);
        if (s.count == s.successors.length) s.successors = Arrays.copyOf(s.successors, 2 * s.count + 2);
        s.successors[s.count++] = e.id;
        f.addClause(s.block.id, new IrFunction.Clause(((long) position << 32) | clause, kind, tag, e.id));
        f.append(e, IrOp.LANDING, IrType.NONE, 0, offset);
        List<ValType> delivered = new ArrayList<>();
        if (kind == CATCH || kind == CATCH_REF) delivered.addAll(module.types().get(module.tagTypeIndex(tag)).params());
        if (kind == CATCH_REF || kind == CATCH_ALL_REF) delivered.add(ValType.ref(false, ValType.HEAP_EXN));
        int[] values = new int[delivered.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = f.append(e, IrOp.CAUGHT, irType(delivered.get(k)), k, offset);
        }
        out[0] = e;
        return values;
    }

    /**
     * Legacy {@code catch tag} ({@code tag} -1: {@code catch_all}): the body or previous catch block falls to the
     * end; the catch block starts, entered from a landing block per site of the body, with the payload on the
     * stack (and the exnref kept for rethrow when the function has one).
     */
    private void legacyCatch(int tag) {
        Frame fr = frame(0);
        if (fr.inBody) {
            endLegacyBody(fr);
            for (Site s : fr.parked) route(s, frames.size() - 2);
        }
        if (cur != null) jump(cur, fr, top(fr.results.length));
        int clause = fr.clauseCount++;
        size = fr.height;
        skipDepth = 0;
        IrType[] payload = tag < 0 ? new IrType[0]
                : types(module.types().get(module.tagTypeIndex(tag)).params());
        if (fr.parked.isEmpty()) {                        // nothing in the body throws: the catch is unreachable
            for (int k = 0; k < payload.length; k++) push(0);  // skipped code: nothing reads these entries
            fr.caught = -1;
            cur = null;
            return;
        }
        boolean ref = Boolean.TRUE.equals(rethrows);
        int kind = tag < 0 ? (ref ? CATCH_ALL_REF : CATCH_ALL) : (ref ? CATCH_REF : CATCH);
        IrBlock c = newBlock(false);
        int exn = ref ? f.newPhi(c, IrType.I64) : -1;
        int[] phis = phis(c, payload);
        for (int j = 0; j < fr.parked.size(); j++) {
            IrBlock[] e = new IrBlock[1];
            int[] values = landing(fr.parked.get(j), fr.parkedPositions.get(j), clause, kind, Math.max(tag, -1), e);
            f.terminate(e[0], IrOp.JUMP, 0, offset, new int[] {c.id});
            f.addEdge(e[0], c);
            for (int k = 0; k < phis.length; k++) f.addPhiOperand(phis[k], values[k]);
            if (exn >= 0) f.addPhiOperand(exn, values[phis.length]);
        }
        seal(c);
        for (int p : phis) push(p);
        fr.caught = exn;
        cur = c;
    }

    /**
     * Legacy {@code delegate l}: ends the try; its body's sites go to the innermost try around label {@code l}
     * (counted outside this try) that still covers, or to the caller.
     */
    private void delegate(int label) {
        Frame fr = frame(0);
        endLegacyBody(fr);
        for (Site s : fr.parked) route(s, frames.size() - 2 - label);
        doEnd();
    }

    /** {@code throw}, {@code throw_ref} or a legacy rethrow: ends the block; covered, its landings follow. */
    private void throwing(IrOp op, long imm, int[] operands) {
        f.terminate(cur, op, imm, offset, new int[0], operands);
        if (handlerFrames > 0) route(site(cur), frames.size() - 1);
        cur = null;
    }

    private void br(int depth) {
        Frame target = frame(depth);
        jump(cur, target, top(target.arity()));
        cur = null;
    }

    private void brIf(int depth) {
        int cond = pop();
        Frame target = frame(depth);
        IrBlock taken = edgeBlock(target, top(target.arity()));
        IrBlock next = newBlock(true);
        f.terminate(cur, IrOp.BRANCH, 0, offset, new int[] {taken.id, next.id}, cond);
        f.addEdge(cur, next);
        cur = next;
    }

    private void brTable(int[] targets, int fallback) {
        int index = pop();
        int[] succ = new int[targets.length + 1];
        IrBlock[] edges = new IrBlock[succ.length];
        for (int i = 0; i < succ.length; i++) {
            Frame t = frame(i < targets.length ? targets[i] : fallback);
            edges[i] = edgeBlock(t, top(t.arity()));
            succ[i] = edges[i].id;
        }
        f.terminate(cur, IrOp.SWITCH, 0, offset, succ, index);
        cur = null;
    }

    private void binary(IrOp op, IrType type) {
        int b = pop();
        int a = pop();
        push(f.append(cur, op, type, 0, offset, a, b));
    }

    private void unary(IrOp op, IrType type, long imm) {
        int a = pop();
        push(f.append(cur, op, type, imm, offset, a));
    }

    private void call(int function) {
        call(module.functionType(function), IrOp.CALL, function, -1);
    }

    private void callIndirect(int typeIndex, int table) {
        int index = pop();
        call(module.types().get(typeIndex), IrOp.CALL_INDIRECT, ((long) table << 32) | typeIndex, index);
    }

    /** A call of type {@code t}; {@code index} (the table index of an indirect call) follows the arguments. */
    private void call(FuncType t, IrOp op, long imm, int index) {
        int[] args = callOperands(t, index);
        IrType rt = t.results().isEmpty() ? IrType.NONE : irType(t.results().get(0));
        int call = f.append(cur, op, rt, imm, offset, args);
        if (rt != IrType.NONE) push(call);
        for (int i = 1; i < t.results().size(); i++) {
            push(f.append(cur, IrOp.CALL_RESULT, irType(t.results().get(i)), i, offset, call));
        }
        if (handlerFrames > 0) {                        // covered: the call ends its block, its landings follow
            IrBlock next = newBlock(true);
            f.terminate(cur, IrOp.JUMP, 0, offset, new int[] {next.id});
            f.addEdge(cur, next);
            route(site(cur), frames.size() - 1);
            cur = next;
        }
    }

    /**
     * A tail call of type {@code t} ends the block: its operands are the arguments, then {@code index} (the table
     * index or the func ref of an indirect one).
     */
    private void tailCall(FuncType t, IrOp op, long imm, int index) {
        f.terminate(cur, op, imm, offset, new int[0], callOperands(t, index));
        cur = null;
    }

    /** Pops the arguments of a call of type {@code t}; {@code index} (if not -1) follows them as the last operand. */
    private int[] callOperands(FuncType t, int index) {
        int[] args = top(t.params().size());
        size -= args.length;
        if (index < 0) return args;
        args = Arrays.copyOf(args, args.length + 1);
        args[args.length - 1] = index;
        return args;
    }

    private void load(int kind, IrType type, InstructionReader r) {
        long offset = memoryOffset(r);
        int index = pop();
        if (isLargeOffset(offset)) {
            index = farAddress(index, offset, r.memory());
            offset = 0;
        }
        push(f.append(cur, IrOp.LOAD, type, IrOp.memoryImm(kind, offset, r.memory()), offset(), index));
    }

    private void store(int bytes, InstructionReader r) {
        long offset = memoryOffset(r);
        int value = pop();
        int index = pop();
        if (isLargeOffset(offset)) {
            index = farAddress(index, offset, r.memory());
            offset = 0;
        }
        f.append(cur, IrOp.STORE, IrType.NONE, IrOp.memoryImm(bytes, offset, r.memory()), offset(), index, value);
    }

    /** The IR type of memory {@code k}'s addresses and sizes: i64 for memory64. */
    private IrType addressType(int k) {
        return module.memoryType(k).address64() ? IrType.I64 : IrType.I32;
    }

    /**
     * Whether {@code op} is one this tier leaves to the baseline in a module with 64-bit addresses: a SIMD access
     * of a memory64 memory (scalar loads and stores are compiled, with an explicit bounds check; table64's
     * instructions take their i64 operands as they are).
     */
    private boolean uses64BitAddresses(Opcode op, InstructionReader r) {
        Immediate k = op.immediate();
        return (k == Immediate.MEMARG || k == Immediate.MEMARG_LANE) && op.isSimd()
                && module.memoryType(r.memory()).address64();
    }

    /** The IR type of table {@code t}'s indices and sizes: i64 for table64. */
    private IrType tableIndexType(int t) {
        return module.tableType(t).address64() ? IrType.I64 : IrType.I32;
    }

    private long memoryOffset(InstructionReader r) {
        // the check, if any, is instruction selection's: a memory64 access is checked explicitly whatever the
        // bounds-check mode; a 32-bit one relies on guard pages or, in explicit mode, is checked too
        return r.memOffset();
    }

    /**
     * Offsets from here on do not fit an access's signed 32-bit displacement (with room for the access size): the
     * access gets the address from {@link #farAddress} and offset 0.
     */
    private static final long LARGE_OFFSET = Integer.MAX_VALUE - 16;

    /** Whether u64 {@code offset} is {@link #LARGE_OFFSET} or more. */
    private static boolean isLargeOffset(long offset) {
        return Long.compareUnsigned(offset, LARGE_OFFSET) >= 0;
    }

    /**
     * The address {@code index + offset} as an i64, for an access of memory {@code memory} with offset 0: a 32-bit
     * index zero-extended (the sum stays below 2^33, inside the guard region); a memory64 index as it is, trapping
     * "out of bounds memory access" when the sum carries out of 64 bits (the access's own check then compares the
     * sum with the size).
     */
    private int farAddress(int index, long offset, int memory) {
        boolean address64 = module.memoryType(memory).address64();
        int wide = address64 ? index : f.append(cur, IrOp.EXTEND_U, IrType.I64, 0, offset(), index);
        int c = f.append(cur, IrOp.CONST, IrType.I64, offset, offset());
        int sum = f.append(cur, IrOp.ADD, IrType.I64, 0, offset(), wide, c);
        if (address64) trapIf(f.append(cur, IrOp.LT_U, IrType.I32, 0, offset(), sum, wide), TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS);
        return sum;
    }

    private int offset() {
        return offset;
    }

    private void bitCount(IrOp op, IrType type) {
        if (!options.bitCounts()) throw new UnsupportedInTierException(op.name());
        unary(op, type, 0);
    }

    private void instruction(Opcode op, InstructionReader r) {
        IrType i32 = IrType.I32;
        IrType i64 = IrType.I64;
        if (any64 && uses64BitAddresses(op, r)) throw new UnsupportedInTierException("memory64/table64");
        switch (op) {
            case NOP -> { }
            case UNREACHABLE -> {
                f.terminate(cur, IrOp.TRAP, TrapCode.UNREACHABLE.ordinal(), offset, new int[0]);
                cur = null;
            }
            case BLOCK -> block(r.blockType());
            case LOOP -> loop(r.blockType());
            case IF -> ifThen(r.blockType());
            case ELSE -> doElse();
            case END -> doEnd();
            case BR -> br(r.index());
            case BR_IF -> brIf(r.index());
            case BR_TABLE -> brTable(r.brTargets(), r.brDefault());
            case RETURN -> {
                f.terminate(cur, IrOp.RETURN, 0, offset, new int[0], top(f.results.length));
                cur = null;
            }
            case CALL -> call(r.index());
            case CALL_INDIRECT -> callIndirect(r.index(), r.index2());
            case TRY_TABLE -> tryTable(r.blockType(), r.catchKinds(), r.catchTags(), r.catchLabels());
            case TRY -> legacyTry(r.blockType());
            case CATCH -> legacyCatch(r.index());
            case CATCH_ALL -> legacyCatch(-1);
            case DELEGATE -> delegate(r.index());
            case THROW -> {
                int n = module.types().get(module.tagTypeIndex(r.index())).params().size();
                int[] payload = top(n);
                size -= n;
                throwing(IrOp.THROW, r.index(), payload);
            }
            case THROW_REF -> throwing(IrOp.THROW_REF, 0, new int[] {pop()});
            case RETHROW -> throwing(IrOp.THROW_REF, 0, new int[] {frame(r.index()).caught});
            case RETURN_CALL -> {
                int function = r.index();
                tailCall(module.functionType(function), IrOp.RETURN_CALL, function, -1);
            }
            case RETURN_CALL_INDIRECT -> {
                int index = pop();
                tailCall(module.types().get(r.index()), IrOp.RETURN_CALL_INDIRECT,
                        ((long) r.index2() << 32) | r.index(), index);
            }
            case RETURN_CALL_REF -> {
                int ref = pop();
                tailCall(module.types().get(r.index()), IrOp.RETURN_CALL_INDIRECT,
                        ((long) IrOp.CALL_REF_TABLE << 32) | r.index(), ref);
            }
            case DROP -> pop();
            case SELECT, SELECT_T -> {
                if (op == Opcode.SELECT_T) for (ValType t : r.selectTypes()) irType(t);
                int c = pop();
                int b = pop();
                int a = pop();
                push(f.append(cur, IrOp.SELECT, f.type(a), 0, offset, a, b, c));
            }
            case LOCAL_GET -> push(read(r.index(), cur));
            case LOCAL_SET -> write(r.index(), cur, pop());
            case LOCAL_TEE -> write(r.index(), cur, stack[size - 1]);
            case I32_CONST -> push(f.append(cur, IrOp.CONST, i32, r.i32() & 0xFFFF_FFFFL, offset));
            case I64_CONST -> push(f.append(cur, IrOp.CONST, i64, r.i64(), offset));
            case I32_EQZ, I64_EQZ -> unary(IrOp.EQZ, i32, 0);
            case I32_EQ, I64_EQ -> binary(IrOp.EQ, i32);
            case I32_NE, I64_NE -> binary(IrOp.NE, i32);
            case I32_LT_S, I64_LT_S -> binary(IrOp.LT_S, i32);
            case I32_LT_U, I64_LT_U -> binary(IrOp.LT_U, i32);
            case I32_GT_S, I64_GT_S -> binary(IrOp.GT_S, i32);
            case I32_GT_U, I64_GT_U -> binary(IrOp.GT_U, i32);
            case I32_LE_S, I64_LE_S -> binary(IrOp.LE_S, i32);
            case I32_LE_U, I64_LE_U -> binary(IrOp.LE_U, i32);
            case I32_GE_S, I64_GE_S -> binary(IrOp.GE_S, i32);
            case I32_GE_U, I64_GE_U -> binary(IrOp.GE_U, i32);
            case I32_ADD -> binary(IrOp.ADD, i32);
            case I32_SUB -> binary(IrOp.SUB, i32);
            case I32_MUL -> binary(IrOp.MUL, i32);
            case I32_DIV_S -> binary(IrOp.DIV_S, i32);
            case I32_DIV_U -> binary(IrOp.DIV_U, i32);
            case I32_REM_S -> binary(IrOp.REM_S, i32);
            case I32_REM_U -> binary(IrOp.REM_U, i32);
            case I32_AND -> binary(IrOp.AND, i32);
            case I32_OR -> binary(IrOp.OR, i32);
            case I32_XOR -> binary(IrOp.XOR, i32);
            case I32_SHL -> binary(IrOp.SHL, i32);
            case I32_SHR_S -> binary(IrOp.SHR_S, i32);
            case I32_SHR_U -> binary(IrOp.SHR_U, i32);
            case I32_ROTL -> binary(IrOp.ROTL, i32);
            case I32_ROTR -> binary(IrOp.ROTR, i32);
            case I64_ADD -> binary(IrOp.ADD, i64);
            case I64_SUB -> binary(IrOp.SUB, i64);
            case I64_MUL -> binary(IrOp.MUL, i64);
            case I64_DIV_S -> binary(IrOp.DIV_S, i64);
            case I64_DIV_U -> binary(IrOp.DIV_U, i64);
            case I64_REM_S -> binary(IrOp.REM_S, i64);
            case I64_REM_U -> binary(IrOp.REM_U, i64);
            case I64_AND -> binary(IrOp.AND, i64);
            case I64_OR -> binary(IrOp.OR, i64);
            case I64_XOR -> binary(IrOp.XOR, i64);
            case I64_SHL -> binary(IrOp.SHL, i64);
            case I64_SHR_S -> binary(IrOp.SHR_S, i64);
            case I64_SHR_U -> binary(IrOp.SHR_U, i64);
            case I64_ROTL -> binary(IrOp.ROTL, i64);
            case I64_ROTR -> binary(IrOp.ROTR, i64);
            case I32_WRAP_I64 -> unary(IrOp.WRAP, i32, 0);
            case I64_EXTEND_I32_S -> unary(IrOp.EXTEND_S, i64, 0);
            case I64_EXTEND_I32_U -> unary(IrOp.EXTEND_U, i64, 0);
            case I32_EXTEND8_S -> unary(IrOp.SIGN_EXTEND, i32, 8);
            case I32_EXTEND16_S -> unary(IrOp.SIGN_EXTEND, i32, 16);
            case I64_EXTEND8_S -> unary(IrOp.SIGN_EXTEND, i64, 8);
            case I64_EXTEND16_S -> unary(IrOp.SIGN_EXTEND, i64, 16);
            case I64_EXTEND32_S -> unary(IrOp.SIGN_EXTEND, i64, 32);
            case F32_CONST -> push(f.append(cur, IrOp.CONST, IrType.F32, r.f32Bits() & 0xFFFF_FFFFL, offset));
            case F64_CONST -> push(f.append(cur, IrOp.CONST, IrType.F64, r.f64Bits(), offset));
            case F32_ADD -> binary(IrOp.FADD, IrType.F32);
            case F32_SUB -> binary(IrOp.FSUB, IrType.F32);
            case F32_MUL -> binary(IrOp.FMUL, IrType.F32);
            case F32_DIV -> binary(IrOp.FDIV, IrType.F32);
            case F64_ADD -> binary(IrOp.FADD, IrType.F64);
            case F64_SUB -> binary(IrOp.FSUB, IrType.F64);
            case F64_MUL -> binary(IrOp.FMUL, IrType.F64);
            case F64_DIV -> binary(IrOp.FDIV, IrType.F64);
            case F32_MIN -> binary(IrOp.FMIN, IrType.F32);
            case F32_MAX -> binary(IrOp.FMAX, IrType.F32);
            case F32_COPYSIGN -> binary(IrOp.FCOPYSIGN, IrType.F32);
            case F64_MIN -> binary(IrOp.FMIN, IrType.F64);
            case F64_MAX -> binary(IrOp.FMAX, IrType.F64);
            case F64_COPYSIGN -> binary(IrOp.FCOPYSIGN, IrType.F64);
            case F32_NEAREST -> unary(IrOp.FROUND, IrType.F32, 0);
            case F32_FLOOR -> unary(IrOp.FROUND, IrType.F32, 1);
            case F32_CEIL -> unary(IrOp.FROUND, IrType.F32, 2);
            case F32_TRUNC -> unary(IrOp.FROUND, IrType.F32, 3);
            case F64_NEAREST -> unary(IrOp.FROUND, IrType.F64, 0);
            case F64_FLOOR -> unary(IrOp.FROUND, IrType.F64, 1);
            case F64_CEIL -> unary(IrOp.FROUND, IrType.F64, 2);
            case F64_TRUNC -> unary(IrOp.FROUND, IrType.F64, 3);
            case F32_SQRT -> unary(IrOp.FSQRT, IrType.F32, 0);
            case F32_NEG -> unary(IrOp.FNEG, IrType.F32, 0);
            case F32_ABS -> unary(IrOp.FABS, IrType.F32, 0);
            case F64_SQRT -> unary(IrOp.FSQRT, IrType.F64, 0);
            case F64_NEG -> unary(IrOp.FNEG, IrType.F64, 0);
            case F64_ABS -> unary(IrOp.FABS, IrType.F64, 0);
            case F32_EQ, F64_EQ -> binary(IrOp.FEQ, i32);
            case F32_NE, F64_NE -> binary(IrOp.FNE, i32);
            case F32_LT, F64_LT -> binary(IrOp.FLT, i32);
            case F32_GT, F64_GT -> binary(IrOp.FGT, i32);
            case F32_LE, F64_LE -> binary(IrOp.FLE, i32);
            case F32_GE, F64_GE -> binary(IrOp.FGE, i32);
            case F64_PROMOTE_F32 -> unary(IrOp.PROMOTE, IrType.F64, 0);
            case F32_DEMOTE_F64 -> unary(IrOp.DEMOTE, IrType.F32, 0);
            case F32_CONVERT_I32_S, F32_CONVERT_I64_S -> unary(IrOp.CONVERT_S, IrType.F32, 0);
            case F64_CONVERT_I32_S, F64_CONVERT_I64_S -> unary(IrOp.CONVERT_S, IrType.F64, 0);
            case F32_CONVERT_I32_U -> unary(IrOp.CONVERT_U32, IrType.F32, 0);
            case F64_CONVERT_I32_U -> unary(IrOp.CONVERT_U32, IrType.F64, 0);
            case I32_REINTERPRET_F32 -> unary(IrOp.REINTERPRET, i32, 0);
            case I64_REINTERPRET_F64 -> unary(IrOp.REINTERPRET, i64, 0);
            case F32_REINTERPRET_I32 -> unary(IrOp.REINTERPRET, IrType.F32, 0);
            case F64_REINTERPRET_I64 -> unary(IrOp.REINTERPRET, IrType.F64, 0);
            case I32_TRUNC_F32_S, I32_TRUNC_F64_S -> unary(IrOp.TRUNC_S, i32, 0);
            case I64_TRUNC_F32_S, I64_TRUNC_F64_S -> unary(IrOp.TRUNC_S, i64, 0);
            case I32_TRUNC_F32_U, I32_TRUNC_F64_U -> unary(IrOp.TRUNC_U, i32, 0);
            case I64_TRUNC_F32_U, I64_TRUNC_F64_U -> unary(IrOp.TRUNC_U, i64, 0);
            case I32_TRUNC_SAT_F32_S, I32_TRUNC_SAT_F64_S -> unary(IrOp.TRUNC_SAT_S, i32, 0);
            case I64_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F64_S -> unary(IrOp.TRUNC_SAT_S, i64, 0);
            case I32_TRUNC_SAT_F32_U, I32_TRUNC_SAT_F64_U -> unary(IrOp.TRUNC_SAT_U, i32, 0);
            case I64_TRUNC_SAT_F32_U, I64_TRUNC_SAT_F64_U -> unary(IrOp.TRUNC_SAT_U, i64, 0);
            case F32_CONVERT_I64_U -> unary(IrOp.CONVERT_U64, IrType.F32, 0);
            case F64_CONVERT_I64_U -> unary(IrOp.CONVERT_U64, IrType.F64, 0);
            case F32_LOAD -> load(8, IrType.F32, r);
            case F64_LOAD -> load(9, IrType.F64, r);
            case F32_STORE -> store(4, r);
            case F64_STORE -> store(8, r);
            case I32_LOAD -> load(0, i32, r);
            case I64_LOAD -> load(1, i64, r);
            case I32_LOAD8_S -> load(2, i32, r);
            case I32_LOAD8_U -> load(3, i32, r);
            case I32_LOAD16_S -> load(4, i32, r);
            case I32_LOAD16_U -> load(5, i32, r);
            case I64_LOAD8_S -> load(2, i64, r);
            case I64_LOAD8_U -> load(3, i64, r);
            case I64_LOAD16_S -> load(4, i64, r);
            case I64_LOAD16_U -> load(5, i64, r);
            case I64_LOAD32_S -> load(6, i64, r);
            case I64_LOAD32_U -> load(7, i64, r);
            case I32_STORE, I64_STORE32 -> store(4, r);
            case I64_STORE -> store(8, r);
            case I32_STORE8, I64_STORE8 -> store(1, r);
            case I32_STORE16, I64_STORE16 -> store(2, r);
            case GLOBAL_GET -> {
                int g = r.index();
                push(f.append(cur, IrOp.GLOBAL_GET, irType(module.globalType(g).type()), g, offset));
            }
            case GLOBAL_SET -> {
                int g = r.index();
                irType(module.globalType(g).type());
                f.append(cur, IrOp.GLOBAL_SET, IrType.NONE, g, offset, pop());
            }
            case MEMORY_SIZE -> push(f.append(cur, IrOp.MEMORY_SIZE, addressType(r.memory()), r.memory(), offset));
            case MEMORY_GROW -> push(f.append(cur, IrOp.MEMORY_GROW, addressType(r.memory()), r.memory(), offset,
                    pop()));
            case MEMORY_COPY, MEMORY_FILL, MEMORY_INIT -> {
                // init: the segment below the memory; copy: the destination memory below the source; fill: the memory
                long segment = op == Opcode.MEMORY_INIT ? r.index() | (long) r.memory() << 32
                        : op == Opcode.MEMORY_COPY ? r.index() | (long) r.index2() << 32 : r.memory();
                int n = pop();
                int second = pop();
                int dst = pop();
                IrOp ir = op == Opcode.MEMORY_COPY ? IrOp.MEMORY_COPY
                        : op == Opcode.MEMORY_FILL ? IrOp.MEMORY_FILL : IrOp.MEMORY_INIT;
                f.append(cur, ir, IrType.NONE, segment, offset, dst, second, n);
            }
            case DATA_DROP -> f.append(cur, IrOp.DATA_DROP, IrType.NONE, r.index(), offset);
            case I32_CLZ -> bitCount(IrOp.CLZ, i32);
            case I32_CTZ -> bitCount(IrOp.CTZ, i32);
            case I32_POPCNT -> bitCount(IrOp.POPCNT, i32);
            case I64_CLZ -> bitCount(IrOp.CLZ, i64);
            case I64_CTZ -> bitCount(IrOp.CTZ, i64);
            case I64_POPCNT -> bitCount(IrOp.POPCNT, i64);
            default -> {
                if (op.isSimd()) simd(op, r);
                else if (!reference(op, r)) throw new UnsupportedInTierException(op.text());
            }
        }
    }

    // ---------------------------------------------------------------- references and tables

    /**
     * The reference and table instructions (references are i64
     * addresses, null is 0); false for one this tier does not translate.
     */
    private boolean reference(Opcode op, InstructionReader r) {
        switch (op) {
            case REF_NULL -> push(f.append(cur, IrOp.CONST, IrType.I64, 0, offset));
            case REF_IS_NULL -> unary(IrOp.EQZ, IrType.I32, 0);
            case REF_FUNC -> push(f.append(cur, IrOp.REF_FUNC, IrType.I64, r.index(), offset));
            case REF_AS_NON_NULL -> {
                int ref = pop();
                trapIfNull(ref, TrapCode.NULL_REFERENCE);
                push(ref);
            }
            case BR_ON_NULL -> {
                int ref = pop();
                push(f.append(cur, IrOp.EQZ, IrType.I32, 0, offset, ref));
                brIf(r.index());
                push(ref);
            }
            case BR_ON_NON_NULL -> {
                int ref = stack[size - 1];
                int zero = f.append(cur, IrOp.CONST, IrType.I64, 0, offset);
                push(f.append(cur, IrOp.NE, IrType.I32, 0, offset, ref, zero));
                brIf(r.index());
                pop();
            }
            case TABLE_GET -> push(f.append(cur, IrOp.TABLE_GET, IrType.I64, r.index(), offset, pop()));
            case TABLE_SET -> {
                int value = pop();
                int index = pop();
                f.append(cur, IrOp.TABLE_SET, IrType.NONE, r.index(), offset, index, value);
            }
            case TABLE_SIZE -> push(f.append(cur, IrOp.TABLE_SIZE, tableIndexType(r.index()), r.index(), offset));
            case TABLE_GROW -> {
                int delta = pop();
                int init = pop();
                push(f.append(cur, IrOp.TABLE_GROW, tableIndexType(r.index()), r.index(), offset, init, delta));
            }
            case TABLE_FILL -> {
                int n = pop();
                int value = pop();
                int dst = pop();
                f.append(cur, IrOp.TABLE_FILL, IrType.NONE, r.index(), offset, dst, value, n);
            }
            case TABLE_COPY, TABLE_INIT -> {
                int n = pop();
                int src = pop();
                int dst = pop();
                // copy: (destination table, source table); init: (table, segment) — the builtins' argument order
                long imm = op == Opcode.TABLE_COPY ? r.index() | (long) r.index2() << 32 : r.index2() | (long) r.index() << 32;
                f.append(cur, op == Opcode.TABLE_COPY ? IrOp.TABLE_COPY : IrOp.TABLE_INIT, IrType.NONE, imm, offset,
                        dst, src, n);
            }
            case ELEM_DROP -> f.append(cur, IrOp.ELEM_DROP, IrType.NONE, r.index(), offset);
            case CALL_REF -> {
                int ref = pop();
                call(module.types().get(r.index()), IrOp.CALL_INDIRECT,
                        ((long) IrOp.CALL_REF_TABLE << 32) | r.index(), ref);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Continues in a new block when {@code ref} is not null; traps with {@code kind} otherwise. */
    private void trapIfNull(int ref, TrapCode kind) {
        trapIf(f.append(cur, IrOp.EQZ, IrType.I32, 0, offset, ref), kind);
    }

    /** Continues in a new block when {@code condition} (i32) is 0; traps with {@code kind} otherwise. */
    private void trapIf(int condition, TrapCode kind) {
        IrBlock trap = newBlock(true);
        IrBlock next = newBlock(true);
        f.terminate(cur, IrOp.BRANCH, 0, offset, new int[] {trap.id, next.id}, condition);
        f.addEdge(cur, trap);
        f.addEdge(cur, next);
        f.terminate(trap, IrOp.TRAP, kind.ordinal(), offset, new int[0]);
        cur = next;
    }

    // ---------------------------------------------------------------- SIMD

    /** The zero a v128 local starts with: {@code v128.const 0}. */
    private int v128Zero(IrBlock entry) {
        requireLowered(Opcode.V128_CONST);
        return f.appendSimd(entry, IrOp.SIMD, IrType.V128, 0, -1, new SimdInfo(Opcode.V128_CONST, 0, new byte[16]));
    }

    private static void requireLowered(Opcode op) {
        if (!SimdLowering.isLowered(op)) throw new UnsupportedInTierException("SIMD instruction " + op.text() + " not lowered");
    }

    /**
     * Any SIMD instruction, without code per opcode: its operand and result types from the validator's table, its
     * immediates into a {@link SimdInfo}; memory instructions take the address first (as LOAD and STORE do).
     */
    private void simd(Opcode op, InstructionReader r) {
        requireLowered(op);
        Immediate k = op.immediate();
        boolean memory = k == Immediate.MEMARG || k == Immediate.MEMARG_LANE;
        long accessOffset = memory ? memoryOffset(r) : 0;
        int lane = k == Immediate.LANE || k == Immediate.MEMARG_LANE ? r.lane() : 0;
        byte[] bytes = k == Immediate.V128 || k == Immediate.SHUFFLE ? r.v128().clone() : null;
        List<ValType> params = InstructionSignatures.params(op);
        List<ValType> results = InstructionSignatures.results(op);
        for (ValType t : params) IrType.of(t);
        IrType type = results.isEmpty() ? IrType.NONE : IrType.of(results.get(0));
        int[] operands = top(params.size());
        size -= operands.length;
        if (isLargeOffset(accessOffset)) {                 // the address is the first operand
            operands[0] = farAddress(operands[0], accessOffset, r.memory());
            accessOffset = 0;
        }
        long memOffset = memory ? IrOp.memoryImm(0, accessOffset, r.memory()) : 0;
        IrOp ir = !memory ? IrOp.SIMD : type == IrType.NONE ? IrOp.SIMD_STORE : IrOp.SIMD_LOAD;
        int v = f.appendSimd(cur, ir, type, memOffset, offset, new SimdInfo(op, lane, bytes), operands);
        if (type != IrType.NONE) push(v);
    }
}
