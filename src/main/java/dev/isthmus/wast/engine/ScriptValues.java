package dev.isthmus.wast.engine;

import dev.isthmus.FunctionRef;
import dev.isthmus.V128;
import dev.isthmus.model.ValType;
import dev.isthmus.wast.Value;

/** Converts between the runner's {@link Value}s and the embedding API's Java values. */
final class ScriptValues {
    private ScriptValues() {
    }

    static Object toJava(ValType type, Value value) {
        return switch (value) {
            case Value.Num n -> switch (n.type().kind()) {
                case I32 -> (int) n.bits();
                case I64 -> n.bits();
                case F32 -> Float.intBitsToFloat((int) n.bits());
                case F64 -> Double.longBitsToDouble(n.bits());
                default -> throw new IllegalArgumentException("not a number type: " + n.type());
            };
            case Value.Null n -> null;
            case Value.Extern e -> new HostRef(e.id());
            case Value.Func f -> f.function();
            case Value.V128 v -> V128.ofBytes(v.bytes());
        };
    }

    static Value fromJava(ValType type, Object value) {
        return switch (type.kind()) {
            case I32 -> new Value.Num(type, ((Integer) value) & 0xFFFF_FFFFL);
            case I64 -> new Value.Num(type, (Long) value);
            case F32 -> new Value.Num(type, Float.floatToRawIntBits((Float) value) & 0xFFFF_FFFFL);
            case F64 -> new Value.Num(type, Double.doubleToRawLongBits((Double) value));
            case FUNCREF -> value == null ? new Value.Null(type) : new Value.Func((FunctionRef) value);
            case EXTERNREF -> switch (value) {
                case null -> new Value.Null(type);
                case HostRef h -> new Value.Extern(h.id());
                default -> throw new IllegalStateException("externref that no script made: " + value);
            };
            case V128 -> new Value.V128(((V128) value).bytes());
            // scripts write no exception references (only (ref.null exn) results)
            case EXNREF -> {
                if (value != null) throw new IllegalStateException("a non-null exnref result: " + value);
                yield new Value.Null(type);
            }
        };
    }
}
