package dev.isthmus.wast;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.GlobalType;
import dev.isthmus.model.Limits;
import dev.isthmus.model.MemoryType;
import dev.isthmus.model.TableType;
import dev.isthmus.model.ValType;

import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * The {@code spectest} host module the official test scripts import from, described for an execution engine:
 * its functions (types and implementations), globals (types and values), table and memory (types).
 *
 * <pre>
 *   func   print          []         -> []      prints nothing
 *   func   print_i32      [i32]      -> []      each argument on its own line as "VALUE : TYPE",
 *   func   print_i64      [i64]      -> []      like the reference interpreter (e.g. "-1 : i32")
 *   func   print_f32      [f32]      -> []
 *   func   print_f64      [f64]      -> []
 *   func   print_i32_f32  [i32 f32]  -> []
 *   func   print_f64_f64  [f64 f64]  -> []
 *   global global_i32     i32  (immutable) = 666
 *   global global_i64     i64  (immutable) = 666
 *   global global_f32     f32  (immutable) = 666.6
 *   global global_f64     f64  (immutable) = 666.6
 *   table  table          10..20 funcref
 *   table  table64        i64 10..20 funcref (table64)
 *   memory memory         1..2 pages
 * </pre>
 */
public final class SpectestHost {
    /** The module name scripts import from. */
    public static final String MODULE_NAME = "spectest";

    /**
     * A host function: its export name, Wasm signature, and implementation, whose Java type is the signature's
     * (i32 → int, i64 → long, f32 → float, f64 → double; no results → void).
     */
    public record HostFunction(String name, FuncType type, MethodHandle handle) {}

    /** A host global: export name, type and initial value (as a {@link Value.Num}). */
    public record HostGlobal(String name, GlobalType type, Value.Num value) {}

    /** A host table: export name and type. Its elements start null. */
    public record HostTable(String name, TableType type) {}

    /** A host memory: export name and type. Its bytes start zero. */
    public record HostMemory(String name, MemoryType type) {}

    private final List<HostFunction> functions;
    private final List<HostGlobal> globals;

    /** A {@code spectest} module whose print functions write to {@code out}. */
    public SpectestHost(PrintStream out) {
        Printer printer = new Printer(out);
        this.functions = List.of(
                function(printer, "print", List.of()),
                function(printer, "print_i32", List.of(ValType.I32)),
                function(printer, "print_i64", List.of(ValType.I64)),
                function(printer, "print_f32", List.of(ValType.F32)),
                function(printer, "print_f64", List.of(ValType.F64)),
                function(printer, "print_i32_f32", List.of(ValType.I32, ValType.F32)),
                function(printer, "print_f64_f64", List.of(ValType.F64, ValType.F64)));
        this.globals = List.of(
                global("global_i32", ValType.I32, 666),
                global("global_i64", ValType.I64, 666L),
                global("global_f32", ValType.F32, Float.floatToRawIntBits(666.6f) & 0xFFFF_FFFFL),
                global("global_f64", ValType.F64, Double.doubleToRawLongBits(666.6)));
    }

    /** A {@code spectest} module printing to standard output. */
    public SpectestHost() {
        this(System.out);
    }

    public List<HostFunction> functions() {
        return functions;
    }

    public List<HostGlobal> globals() {
        return globals;
    }

    public HostTable table() {
        return new HostTable("table", new TableType(ValType.FUNCREF, new Limits(10, 20)));
    }

    /** The table64 table {@code table64} (Wasm 3.0's spectest): i64 indices, 10..20 funcref. */
    public HostTable table64() {
        return new HostTable("table64", new TableType(ValType.FUNCREF, new Limits(10, 20, true)));
    }

    public HostMemory memory() {
        return new HostMemory("memory", new MemoryType(new Limits(1, 2)));
    }

    /** The function exported as {@code name}, or null. */
    public HostFunction function(String name) {
        for (HostFunction f : functions) if (f.name().equals(name)) return f;
        return null;
    }

    /** The global exported as {@code name}, or null. */
    public HostGlobal global(String name) {
        for (HostGlobal g : globals) if (g.name().equals(name)) return g;
        return null;
    }

    private static HostGlobal global(String name, ValType type, long bits) {
        return new HostGlobal(name, new GlobalType(type, false), new Value.Num(type, bits));
    }

    private static HostFunction function(Printer printer, String name, List<ValType> params) {
        FuncType type = FuncType.of(params, List.of());
        Class<?>[] javaTypes = new Class<?>[params.size()];
        for (int i = 0; i < javaTypes.length; i++) javaTypes[i] = javaType(params.get(i));
        // print(types, Object[]) with the types bound, collecting its arguments into the array, then typed as
        // (int/long/float/double ...) -> void so an engine can call it with invokeExact.
        MethodHandle handle = MethodHandles.insertArguments(Printer.PRINT.bindTo(printer), 0, List.copyOf(params))
                .asCollector(Object[].class, params.size())
                .asType(MethodType.methodType(void.class, javaTypes));
        return new HostFunction(name, type, handle);
    }

    private static Class<?> javaType(ValType t) {
        return switch (t.kind()) {
            case I32 -> int.class;
            case I64 -> long.class;
            case F32 -> float.class;
            case F64 -> double.class;
            default -> throw new IllegalArgumentException("spectest prints numbers only: " + t);
        };
    }

    /** Prints arguments the way the reference interpreter's spectest does: one {@code "VALUE : TYPE"} line each. */
    static final class Printer {
        static final MethodHandle PRINT;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                PRINT = lookup.findVirtual(Printer.class, "print",
                        MethodType.methodType(void.class, List.class, Object[].class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final PrintStream out;

        Printer(PrintStream out) {
            this.out = out;
        }

        void print(List<ValType> types, Object[] args) {
            for (int i = 0; i < args.length; i++) out.println(format(args[i]) + " : " + types.get(i).text());
            out.flush();
        }

        /** Integers in signed decimal; floats in Java's shortest round-trip form, {@code nan}, {@code inf}. */
        private static String format(Object value) {
            return switch (value) {
                case Float f when f.isNaN() -> "nan";
                case Double d when d.isNaN() -> "nan";
                case Float f when f.isInfinite() -> f > 0 ? "inf" : "-inf";
                case Double d when d.isInfinite() -> d > 0 ? "inf" : "-inf";
                default -> value.toString();
            };
        }
    }
}
