package dev.isthmus.validate;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ConstExpr;
import dev.isthmus.model.GlobalType;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.ValType;

/**
 * Validates constant expressions (global initialisers, segment offsets, element items) as Wasm 2.0 defines them:
 * only {@code t.const}, {@code ref.null}, {@code ref.func} and {@code global.get} of an imported immutable global
 * ("constant expression required"), producing exactly one value of the expected type ("type mismatch").
 *
 * <p>Every {@code ref.func x} seen is recorded in the context's C.refs, which is how the functions that bodies may
 * reference get declared.
 */
final class ConstExprValidator {
    private final ModuleContext context;
    private ValType[] stack = new ValType[4];
    private int size;

    ConstExprValidator(ModuleContext context) {
        this.context = context;
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
            if (size != 1 || stack[0] != expected) throw new ValidationFailure("type mismatch");
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
            case REF_NULL -> in.refType();
            case REF_FUNC -> {
                context.functionType(in.index());
                context.declareReference(in.index());
                yield ValType.FUNCREF;
            }
            case GLOBAL_GET -> {
                GlobalType g = context.importedGlobal(in.index());
                if (g.mutable()) throw new ValidationFailure("constant expression required");
                yield g.type();
            }
            default -> throw new ValidationFailure("constant expression required");
        };
    }

    private void push(ValType t) {
        if (size == stack.length) stack = java.util.Arrays.copyOf(stack, size * 2);
        stack[size++] = t;
    }
}
