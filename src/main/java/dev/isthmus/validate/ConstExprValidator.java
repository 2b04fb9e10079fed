package dev.isthmus.validate;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ConstExpr;
import dev.isthmus.model.GlobalType;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmVersion;

/**
 * Validates constant expressions (global initialisers, segment offsets, element items): only {@code t.const},
 * {@code ref.null}, {@code ref.func} and {@code global.get} of an immutable global ("constant expression required"),
 * producing exactly one value of the expected type ("type mismatch"). Wasm 2.0 lets {@code global.get} read imported
 * globals only (the others are "unknown"); 3.0's extended constants ({@link WasmVersion#extendedConstants()}) add
 * {@code i32/i64.add/sub/mul} and let a global's initialiser read the globals defined before it, and segments read
 * every global.
 *
 * <p>Every {@code ref.func x} seen is recorded in the context's C.refs, which is how the functions that bodies may
 * reference get declared.
 */
final class ConstExprValidator {
    private final ModuleContext context;
    private final WasmVersion version;
    private ValType[] stack = new ValType[4];
    private int size;
    private int visibleGlobals;

    ConstExprValidator(ModuleContext context, WasmVersion version) {
        this.context = context;
        this.version = version;
        this.visibleGlobals = context.globalCount();
    }

    /**
     * Restricts {@code global.get} to the globals below {@code count} (the imported ones and, with extended
     * constants, those defined before the global being initialised); segments see every global.
     */
    void visibleGlobals(int count) {
        visibleGlobals = count;
    }

    /**
     * @param expr     the expression
     * @param expected the type it must produce
     * @param section  the section it is in, for the error
     */
    void validate(ConstExpr expr, ValType expected, String section) {
        byte[] code = expr.codeUnsafe();
        long base = Math.max(expr.offset(), 0);
        InstructionReader in = new InstructionReader(new ByteReader(code, 0, code.length, base, "unexpected end")
                .inSection(section));
        size = 0;
        try {
            while (true) {
                if (in.atEnd()) throw new ValidationFailure("constant expression required");
                Opcode op = in.next();
                if (op == Opcode.END) break;
                push(instruction(op, in));
            }
            if (size != 1 || !context.matches(stack[0], expected)) throw new ValidationFailure("type mismatch");
        } catch (ValidationFailure failure) {
            long offset = expr.offset() < 0 ? -1 : in.offset();
            throw new ValidationException(failure.reason(), section, offset, -1);
        }
    }

    private ValType instruction(Opcode op, InstructionReader in) {
        return switch (op) {
            case I32_CONST -> ValType.I32;
            case I64_CONST -> ValType.I64;
            case F32_CONST -> ValType.F32;
            case F64_CONST -> ValType.F64;
            case V128_CONST -> ValType.V128;
            case REF_NULL -> context.checkValType(in.refType());
            case REF_FUNC -> {
                int typeIndex = context.functionType(in.index());
                context.declareReference(in.index());
                yield version.functionReferences() ? ValType.ref(false, typeIndex) : ValType.FUNCREF;
            }
            case GLOBAL_GET -> {
                int index = in.index();
                GlobalType g = version.extendedConstants() && Integer.compareUnsigned(index, visibleGlobals) < 0
                        ? context.global(index) : context.importedGlobal(index);
                if (g.mutable()) throw new ValidationFailure("constant expression required");
                yield g.type();
            }
            case I32_ADD, I32_SUB, I32_MUL -> arithmetic(ValType.I32);
            case I64_ADD, I64_SUB, I64_MUL -> arithmetic(ValType.I64);
            default -> throw new ValidationFailure("constant expression required");
        };
    }

    /** An extended-constant {@code t.add/sub/mul}: pops two operands of type {@code t}, yields a {@code t}. */
    private ValType arithmetic(ValType type) {
        if (!version.extendedConstants()) throw new ValidationFailure("constant expression required");
        for (int i = 0; i < 2; i++) {
            if (size == 0 || stack[--size] != type) throw new ValidationFailure("type mismatch");
        }
        return type;
    }

    private void push(ValType t) {
        if (size == stack.length) stack = java.util.Arrays.copyOf(stack, size * 2);
        stack[size++] = t;
    }
}
