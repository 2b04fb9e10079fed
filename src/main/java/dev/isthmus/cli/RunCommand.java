package dev.isthmus.cli;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.UninstantiableException;
import dev.isthmus.UnlinkableException;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ModuleException;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.trap.WasmTrap;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code isthmus run [--invoke NAME] MODULE.wasm|MODULE.wat [ARGS...]}: instantiates a module that imports nothing
 * (no WASI) and calls one export, {@code _start} unless {@code --invoke} names another, with the arguments parsed
 * per parameter type. Results are printed one per line, like {@code wasmtime run --invoke}. A trap prints its
 * message and wasm backtrace to standard error; exit status 1.
 */
final class RunCommand {
    private RunCommand() {
    }

    static final String USAGE = "usage: isthmus run [--invoke NAME] MODULE.wasm|MODULE.wat [ARGS...]";

    static int run(String[] args, PrintStream out, PrintStream err) {
        String invoke = null;
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            switch (args[i]) {
                case "--invoke" -> {
                    if (i + 1 >= args.length) throw new UsageException("--invoke needs a function name");
                    invoke = args[i + 1];
                    i += 2;
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> throw new UsageException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        if (i >= args.length) throw new UsageException("no module given\n" + USAGE);
        Path file = Path.of(args[i]);
        List<String> arguments = List.of(args).subList(i + 1, args.length);

        CompiledModule module;
        try {
            module = Isthmus.create().compile(file);
        } catch (IOException e) {
            err.println("isthmus run: cannot read " + file + ": " + e.getMessage());
            return 1;
        } catch (ModuleException e) {
            err.println("isthmus run: " + file + ": " + e.getMessage());
            return 1;
        }
        try (Instance instance = module.instantiate()) {
            String name = invoke != null ? invoke : "_start";
            if (!instance.exportKinds().containsKey(name)) {
                err.println("isthmus run: " + file + " exports no function " + name
                        + (invoke == null ? " (name one with --invoke NAME)" : ""));
                return 1;
            }
            FuncType type = instance.functionType(name);
            Object[] results = instance.call(name, parse(type, arguments));
            for (Object result : results) out.println(format(result));
            return 0;
        } catch (UnlinkableException e) {
            err.println("isthmus run: " + file + ": " + e.getMessage() + " (isthmus run provides no imports)");
            return 1;
        } catch (UninstantiableException e) {
            err.println("isthmus run: " + file + ": instantiation trapped\n" + e.trap().describe());
            return 1;
        } catch (WasmTrap trap) {
            err.println(trap.describe());
            return 1;
        }
    }

    private static Object[] parse(FuncType type, List<String> arguments) {
        List<ValType> params = type.params();
        if (arguments.size() != params.size()) {
            throw new UsageException("the function takes " + params.size() + " arguments " + params + ", got "
                    + arguments.size());
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            String text = arguments.get(i);
            try {
                values.add(switch (params.get(i)) {
                    case I32 -> (int) parseInteger(text, 32);
                    case I64 -> parseInteger(text, 64);
                    case F32 -> Float.parseFloat(text);
                    case F64 -> Double.parseDouble(text);
                    default -> throw new UsageException("cannot pass a " + params.get(i) + " from the command line");
                });
            } catch (NumberFormatException e) {
                throw new UsageException("argument " + (i + 1) + " (" + text + ") is not a " + params.get(i));
            }
        }
        return values.toArray();
    }

    /** Signed or unsigned decimal (or 0x hex) that fits {@code bits}. */
    private static long parseInteger(String text, int bits) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        String digits = negative || t.startsWith("+") ? t.substring(1) : t;
        long magnitude = digits.startsWith("0x") || digits.startsWith("0X")
                ? Long.parseUnsignedLong(digits.substring(2), 16) : Long.parseUnsignedLong(digits);
        long value = negative ? -magnitude : magnitude;
        if (bits == 32 && (value < Integer.MIN_VALUE || value > 0xFFFF_FFFFL)) {
            throw new NumberFormatException("out of i32 range");
        }
        return value;
    }

    private static String format(Object value) {
        return switch (value) {
            case null -> "null";
            case Float f when f.isNaN() -> "NaN";
            case Double d when d.isNaN() -> "NaN";
            case Float f when f.isInfinite() -> f > 0 ? "inf" : "-inf";
            case Double d when d.isInfinite() -> d > 0 ? "inf" : "-inf";
            default -> value.toString();
        };
    }
}
