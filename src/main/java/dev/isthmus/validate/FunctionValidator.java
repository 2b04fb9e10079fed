package dev.isthmus.validate;

import dev.isthmus.binary.BlockType;
import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.GlobalType;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.binary.DecodeException;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmVersion;

import java.util.Arrays;

import static dev.isthmus.model.ValType.FUNCREF;
import static dev.isthmus.model.ValType.I32;
import static dev.isthmus.model.ValType.I64;

/**
 * Type-checks function bodies, one instruction at a time, with the spec's algorithm (appendix "Validation
 * Algorithm"): {@link TypeStack} holds operand and control stacks, {@link SignatureTable} types the instructions
 * whose effect is fixed, and this class types the rest (control, variables, references, tables, bulk memory, calls),
 * which need the {@link ModuleContext}.
 *
 * <p>One instance validates every body of a module in turn, reusing its stacks.
 */
final class FunctionValidator {
    private static final ValType[] NONE = {};
    private static final java.util.Map<ValType, ValType[]> SINGLE = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The most locals (parameters and declared locals together) a function may have: an implementation limit, not a
     * spec rule, so that a module declaring billions of locals in a few bytes is refused here, precisely, instead of
     * by a compiler. The same number as V8 ({@code kV8MaxWasmFunctionLocals = 50000} in src/wasm/wasm-limits.h) and
     * wasmtime's parser ({@code MAX_WASM_FUNCTION_LOCALS: usize = 50000} in wasmparser's src/limits.rs), the limits
     * the JS embedding spec agrees on.
     */
    static final long MAX_FUNCTION_LOCALS = 50_000;

    private final ModuleContext context;
    private final SignatureTable signatures = SignatureTable.STANDARD;
    private final TypeStack stack;
    private final Locals locals = new Locals();
    private ValType[] results;
    private int functionIndex;
    /** Locals (by index) of a non-defaultable type that have been set so far on the path being validated. */
    private final java.util.BitSet initialized = new java.util.BitSet();
    /** The locals marked in {@link #initialized}, in order, so that leaving a block can unmark its own. */
    private int[] inits = new int[8];
    private int initCount;
    private int paramCount;
    private final WasmVersion version;

    FunctionValidator(ModuleContext context, WasmVersion version) {
        this.context = context;
        this.version = version;
        this.stack = new TypeStack(context);
    }

    /**
     * Validates the body of function {@code functionIndex} (in the function index space).
     *
     * @throws ValidationException   on a typing error, located at the offending instruction
     * @throws DecodeException when the bytes do not even decode
     */
    void validate(int functionIndex, FunctionBody body) {
        this.functionIndex = functionIndex;
        int typeIndex = context.functionType(functionIndex);
        ValType[] params = context.params(typeIndex);
        results = context.results(typeIndex);
        long count = params.length + body.localCount();
        if (count > MAX_FUNCTION_LOCALS) {
            throw new ValidationException("too many locals: function " + functionIndex + " has " + count
                    + " locals (" + params.length + " parameters and " + body.localCount()
                    + " declared), the limit is " + MAX_FUNCTION_LOCALS, "code", body.codeOffset(), functionIndex);
        }
        locals.reset(params, body);
        try {
            for (int r = 0; r < body.localRuns(); r++) context.checkValType(body.localRunType(r));
        } catch (ValidationFailure failure) {
            throw new ValidationException(failure.reason(), "code", body.codeOffset(), functionIndex);
        }
        paramCount = params.length;
        initialized.clear();
        initCount = 0;

        byte[] code = body.codeUnsafe();
        ByteReader bytes = new ByteReader(code, 0, code.length, body.codeOffset(), "unexpected end of section or function")
                .inSection("code");
        InstructionReader in = new InstructionReader(bytes);
        stack.reset();
        pushFrame(Opcode.BLOCK, NONE, results);
        try {
            while (stack.depth() > 0) {
                if (in.atEnd()) {
                    throw new DecodeException("END opcode expected", "code", bytes.offset(), functionIndex);
                }
                instruction(in.next(), in);
            }
        } catch (ValidationFailure failure) {
            throw new ValidationException(failure.reason(), "code", in.offset(), functionIndex);
        }
        if (!in.atEnd()) throw new DecodeException("section size mismatch", "code", bytes.offset(), functionIndex);
    }

    private void instruction(Opcode op, InstructionReader in) {
        Signature fixed = signatures.of(op);
        if (fixed != null) {
            int natural = MemoryTyping.naturalAlignment(op);
            ValType[] params = fixed.params();
            if (natural >= 0) {
                memoryArgument(in.memory(), in.align(), natural, in.memOffset());
                if (context.memoryAddressType(in.memory()) == I64) {   // memory64: the address operand is an i64
                    params = params.clone();
                    params[0] = I64;
                }
            }
            int lanes = SimdTyping.laneCount(op);
            if (lanes > 0) laneIndices(op, in, lanes);
            stack.pop(params);
            stack.push(fixed.results());
            return;
        }
        switch (op) {
            case UNREACHABLE -> stack.markUnreachable();
            case NOP -> { }
            case BLOCK, LOOP -> enterBlock(op, in.blockType());
            case IF -> {
                stack.pop(I32);
                enterBlock(op, in.blockType());
            }
            case ELSE -> {
                if (stack.innermost().opcode != Opcode.IF) {
                    throw new DecodeException("misplaced ELSE opcode", "code", in.offset(), functionIndex);
                }
                ControlFrame then = popFrame();
                pushFrame(Opcode.ELSE, then.startTypes, then.endTypes);
            }
            case END -> {
                ControlFrame frame = popFrame();
                // an if without else has an implicit empty else branch, which must turn its inputs into its outputs
                if (frame.opcode == Opcode.IF && !context.matches(frame.startTypes, frame.endTypes)) {
                    throw new ValidationFailure("type mismatch");
                }
                stack.push(frame.endTypes);
            }
            case BR -> {
                stack.pop(stack.target(in.index()).labelTypes());
                stack.markUnreachable();
            }
            case BR_IF -> {
                stack.pop(I32);
                ValType[] label = stack.target(in.index()).labelTypes();
                stack.pop(label);
                stack.push(label);
            }
            case BR_TABLE -> branchTable(in.brTargets(), in.brDefault());
            case RETURN -> {
                stack.pop(results);
                stack.markUnreachable();
            }
            case CALL -> call(context.functionType(in.index()));
            case CALL_INDIRECT -> {
                int typeIndex = indirectCallType(in.index2(), in.index());
                stack.pop(context.tableAddressType(in.index2()));
                call(typeIndex);
            }
            case RETURN_CALL -> tailCall(context.functionType(in.index()));
            case RETURN_CALL_INDIRECT -> {
                int typeIndex = indirectCallType(in.index2(), in.index());
                stack.pop(context.tableAddressType(in.index2()));
                tailCall(typeIndex);
            }
            case DROP -> stack.pop();
            case SELECT -> select();
            case SELECT_T -> {
                ValType[] types = in.selectTypes();
                if (types.length != 1) throw new ValidationFailure("invalid result arity");
                context.checkValType(types[0]);
                stack.pop(I32);
                stack.pop(types[0]);
                stack.pop(types[0]);
                stack.push(types[0]);
            }
            case LOCAL_GET -> {
                int index = in.index();
                ValType t = locals.type(index);
                if (!isDefaultable(t) && index >= paramCount && !initialized.get(index)) {
                    throw new ValidationFailure("uninitialized local " + Integer.toUnsignedString(index));
                }
                stack.push(t);
            }
            case LOCAL_SET -> {
                int index = in.index();
                stack.pop(locals.type(index));
                markInitialized(index);
            }
            case LOCAL_TEE -> {
                int index = in.index();
                ValType t = locals.type(index);
                stack.pop(t);
                stack.push(t);
                markInitialized(index);
            }
            case GLOBAL_GET -> stack.push(context.global(in.index()).type());
            case GLOBAL_SET -> {
                GlobalType g = context.global(in.index());
                if (!g.mutable()) throw new ValidationFailure("global is immutable");
                stack.pop(g.type());
            }
            case TABLE_GET -> {
                ValType element = context.tableElementType(in.index());
                stack.pop(context.tableAddressType(in.index()));
                stack.push(element);
            }
            case TABLE_SET -> {
                ValType element = context.tableElementType(in.index());
                stack.pop(element);
                stack.pop(context.tableAddressType(in.index()));
            }
            case TABLE_SIZE -> {
                stack.push(context.tableAddressType(in.index()));
            }
            case TABLE_GROW -> {
                ValType element = context.tableElementType(in.index());
                ValType at = context.tableAddressType(in.index());
                stack.pop(at);
                stack.pop(element);
                stack.push(at);
            }
            case TABLE_FILL -> {
                ValType element = context.tableElementType(in.index());
                ValType at = context.tableAddressType(in.index());
                stack.pop(at);
                stack.pop(element);
                stack.pop(at);
            }
            case TABLE_COPY -> {
                ValType destination = context.tableElementType(in.index());
                ValType source = context.tableElementType(in.index2());
                if (!context.matches(source, destination)) throw new ValidationFailure("type mismatch");
                ValType to = context.tableAddressType(in.index());
                ValType from = context.tableAddressType(in.index2());
                stack.pop(minAddressType(to, from));
                stack.pop(from);
                stack.pop(to);
            }
            case TABLE_INIT -> {
                ValType table = context.tableElementType(in.index2());
                ValType segment = context.elementType(in.index());
                if (!context.matches(segment, table)) throw new ValidationFailure("type mismatch");
                stack.pop(I32);
                stack.pop(I32);
                stack.pop(context.tableAddressType(in.index2()));
            }
            case ELEM_DROP -> context.elementType(in.index());
            case MEMORY_SIZE -> stack.push(context.memoryAddressType(in.index()));
            case MEMORY_GROW -> {
                ValType at = context.memoryAddressType(in.index());
                stack.pop(at);
                stack.push(at);
            }
            case MEMORY_FILL -> {
                ValType at = context.memoryAddressType(in.index());
                stack.pop(at);
                stack.pop(I32);
                stack.pop(at);
            }
            case MEMORY_COPY -> {
                ValType to = context.memoryAddressType(in.index());
                ValType from = context.memoryAddressType(in.index2());
                stack.pop(minAddressType(to, from));
                stack.pop(from);
                stack.pop(to);
            }
            case MEMORY_INIT -> {
                ValType at = context.memoryAddressType(in.index2());
                context.checkDataSegment(in.index());
                stack.pop(I32);
                stack.pop(I32);
                stack.pop(at);
            }
            case DATA_DROP -> context.checkDataSegment(in.index());
            case REF_NULL -> stack.push(context.checkValType(in.refType()));
            case REF_IS_NULL -> {
                popReference();
                stack.push(I32);
            }
            case REF_FUNC -> {
                int index = in.index();
                int typeIndex = context.functionType(index);
                if (!context.isDeclaredReference(index)) throw new ValidationFailure("undeclared function reference");
                stack.push(version.functionReferences() ? ValType.ref(false, typeIndex) : FUNCREF);
            }
            case REF_AS_NON_NULL -> {
                requireFunctionReferences(op);
                ValType t = popReference();
                stack.push(t == null ? null : t.asNonNull());
            }
            case BR_ON_NULL -> {
                requireFunctionReferences(op);
                ValType[] label = stack.target(in.index()).labelTypes();
                ValType t = popReference();
                stack.pop(label);
                stack.push(label);
                stack.push(t == null ? null : t.asNonNull());
            }
            case BR_ON_NON_NULL -> {
                requireFunctionReferences(op);
                ValType[] label = stack.target(in.index()).labelTypes();
                if (label.length == 0) throw new ValidationFailure("type mismatch");
                ValType last = label[label.length - 1];
                if (last == null || !last.isReference()) throw new ValidationFailure("type mismatch");
                ValType t = popReference();
                if (!context.matches(t == null ? null : t.asNonNull(), last)) {
                    throw new ValidationFailure("type mismatch");
                }
                ValType[] rest = Arrays.copyOf(label, label.length - 1);
                stack.pop(rest);
                stack.push(rest);
            }
            case CALL_REF -> {
                requireFunctionReferences(op);
                int typeIndex = context.checkType(in.index());
                stack.pop(ValType.ref(true, typeIndex));
                call(typeIndex);
            }
            case RETURN_CALL_REF -> {
                requireFunctionReferences(op);
                int typeIndex = context.checkType(in.index());
                stack.pop(ValType.ref(true, typeIndex));
                tailCall(typeIndex);
            }
            case THROW -> {
                stack.pop(context.params(context.tagType(in.index())));
                stack.markUnreachable();
            }
            case THROW_REF -> {
                stack.pop(ValType.EXNREF);
                stack.markUnreachable();
            }
            case TRY_TABLE -> {
                int[] kinds = in.catchKinds(), tags = in.catchTags(), labels = in.catchLabels();
                for (int i = 0; i < kinds.length; i++) catchClause(kinds[i], tags[i], labels[i]);
                enterBlock(op, in.blockType());
            }
            case TRY -> enterBlock(op, in.blockType());
            case CATCH -> {
                ValType[] params = context.params(context.tagType(in.index()));
                legacyHandlerStart(in, "catch");
                stack.push(params);
            }
            case CATCH_ALL -> legacyHandlerStart(in, "catch_all");
            case DELEGATE -> {
                if (stack.innermost().opcode != Opcode.TRY) {
                    throw new DecodeException("misplaced DELEGATE opcode", "code", in.offset(), functionIndex);
                }
                ControlFrame frame = popFrame();
                stack.target(in.index());                  // the label must exist (outside the try)
                stack.push(frame.endTypes);
            }
            case RETHROW -> {
                Opcode target = stack.target(in.index()).opcode;
                if (target != Opcode.CATCH && target != Opcode.CATCH_ALL) {
                    throw new ValidationFailure("invalid rethrow label");
                }
                stack.markUnreachable();
            }
            default -> throw new IllegalStateException("no typing rule for " + op);
        }
    }

    // ---- references and locals

    private void requireFunctionReferences(Opcode op) {
        if (!version.functionReferences()) throw new ValidationFailure("unknown operator " + op.text());
    }

    /** Pops an operand that must be a reference; returns its type (null: Unknown). */
    private ValType popReference() {
        ValType t = stack.pop();
        if (t != null && !t.isReference()) throw new ValidationFailure("type mismatch");
        return t;
    }

    /** Number, vector and nullable reference types have a default value; non-null references do not. */
    private static boolean isDefaultable(ValType t) {
        return !t.isReference() || t.nullable();
    }

    private void markInitialized(int index) {
        if (index < paramCount || initialized.get(index) || isDefaultable(locals.type(index))) return;
        initialized.set(index);
        if (initCount == inits.length) inits = Arrays.copyOf(inits, initCount * 2);
        inits[initCount++] = index;
    }

    /** Enters a block, remembering which locals were initialised at its start. */
    private void pushFrame(Opcode op, ValType[] startTypes, ValType[] endTypes) {
        stack.pushFrame(op, startTypes, endTypes);
        stack.innermost().initHeight = initCount;
    }

    /** Leaves a block: the locals first set inside it count as uninitialised again after it. */
    private ControlFrame popFrame() {
        ControlFrame frame = stack.popFrame();
        while (initCount > frame.initHeight) initialized.clear(inits[--initCount]);
        return frame;
    }

    // ---- exceptions

    private static final ValType EXN_NON_NULL = ValType.ref(false, ValType.HEAP_EXN);

    /** A try_table catch clause: what it hands its label (tag payload, then an exnref for the _ref kinds) fits it. */
    private void catchClause(int kind, int tag, int label) {
        ValType[] delivered = kind <= InstructionReader.CATCH_REF ? context.params(context.tagType(tag)) : NONE;
        if (kind == InstructionReader.CATCH_REF || kind == InstructionReader.CATCH_ALL_REF) {
            delivered = Arrays.copyOf(delivered, delivered.length + 1);
            delivered[delivered.length - 1] = EXN_NON_NULL;
        }
        ValType[] target = stack.target(label).labelTypes();
        if (!context.matches(delivered, target)) throw new ValidationFailure("type mismatch");
    }

    /** Legacy catch / catch_all: ends the try body (or the previous catch) as an end would, opens the handler. */
    private ControlFrame legacyHandlerStart(InstructionReader in, String what) {
        Opcode open = stack.innermost().opcode;
        if (open != Opcode.TRY && open != Opcode.CATCH) {
            throw new DecodeException("misplaced " + what.toUpperCase(java.util.Locale.ROOT) + " opcode", "code",
                    in.offset(), functionIndex);
        }
        ValType[] end = popFrame().endTypes;
        pushFrame(what.equals("catch") ? Opcode.CATCH : Opcode.CATCH_ALL, NONE, end);
        return stack.innermost();
    }

    // ---- control

    private void enterBlock(Opcode op, BlockType type) {
        ValType[] in;
        ValType[] out;
        if (type.isTypeIndex()) {
            in = context.params(type.typeIndex());
            out = context.results(type.typeIndex());
        } else {
            in = NONE;
            out = type.result() == null ? NONE
                    : SINGLE.computeIfAbsent(context.checkValType(type.result()), t -> new ValType[] {t});
        }
        stack.pop(in);
        pushFrame(op, in, out);
    }

    /** {@code br_table}: every target must take as many values as the default, each matching the operands. */
    private void branchTable(int[] targets, int defaultTarget) {
        stack.pop(I32);
        ValType[] defaultLabel = stack.target(defaultTarget).labelTypes();
        for (int target : targets) {
            ValType[] label = stack.target(target).labelTypes();
            if (label.length != defaultLabel.length) throw new ValidationFailure("type mismatch");
            stack.check(label);
        }
        stack.pop(defaultLabel);
        stack.markUnreachable();
    }

    // ---- calls

    private void call(int typeIndex) {
        stack.pop(context.params(typeIndex));
        stack.push(context.results(typeIndex));
    }

    /** {@code return_call*}: the callee's results become the caller's, so they must be the same types. */
    private void tailCall(int typeIndex) {
        if (!context.matches(context.results(typeIndex), results)) throw new ValidationFailure("type mismatch");
        stack.pop(context.params(typeIndex));
        stack.markUnreachable();
    }

    /** An indirect call names an existing table of funcref and an existing type (checked in that order). */
    private int indirectCallType(int tableIndex, int typeIndex) {
        ValType element = context.tableElementType(tableIndex);
        context.checkType(typeIndex);
        if (!context.matches(element, FUNCREF)) throw new ValidationFailure("type mismatch");
        return typeIndex;
    }

    // ---- parametric

    /** Untyped {@code select}: both operands numeric or both vectors, and equal where known. */
    private void select() {
        stack.pop(I32);
        ValType first = stack.pop();
        ValType second = stack.pop();
        boolean bothNumeric = isNumericOrUnknown(first) && isNumericOrUnknown(second);
        boolean bothVector = isVectorOrUnknown(first) && isVectorOrUnknown(second);
        if (!bothNumeric && !bothVector) throw new ValidationFailure("type mismatch");
        if (first != second && first != null && second != null) throw new ValidationFailure("type mismatch");
        stack.push(first == null ? second : first);
    }

    private static boolean isNumericOrUnknown(ValType t) {
        return t == null || t.isNumeric();
    }

    private static boolean isVectorOrUnknown(ValType t) {
        return t == null || t == ValType.V128;
    }

    // ---- memory immediates

    private void memoryArgument(int memory, int alignment, int natural, long offset) {
        ValType at = context.memoryAddressType(memory);
        if (alignment > natural) throw new ValidationFailure("alignment must not be larger than natural");
        // a 32-bit memory's offset is a u32 (the 3.0 format reads a u64); a 64-bit memory's any u64
        if (at == I32 && Long.compareUnsigned(offset, 0xFFFF_FFFFL) > 0) {
            throw new ValidationFailure("offset out of range");
        }
    }

    /** The length operand of a copy between address types {@code a} and {@code b}: i64 only when both are. */
    private static ValType minAddressType(ValType a, ValType b) {
        return a == I64 && b == I64 ? I64 : I32;
    }

    private static void laneIndices(Opcode op, InstructionReader in, int lanes) {
        if (op == Opcode.I8X16_SHUFFLE) {
            for (byte lane : in.v128()) if ((lane & 0xFF) >= lanes) throw new ValidationFailure("invalid lane index");
        } else if (in.lane() >= lanes) {
            throw new ValidationFailure("invalid lane index");
        }
    }
}
