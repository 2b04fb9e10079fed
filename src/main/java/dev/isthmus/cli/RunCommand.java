package dev.isthmus.cli;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.ModuleRejectedException;
import dev.isthmus.UnsupportedFeatureException;
import dev.isthmus.WasmTrap;
import dev.isthmus.Isthmus;
import dev.isthmus.UninstantiableException;
import dev.isthmus.UnlinkableException;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.model.ValType;
import dev.isthmus.wasi.Wasi;
import dev.isthmus.wasi.WasiExit;
import dev.isthmus.wasi.WasiOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code isthmus run [OPTIONS] MODULE.wasm|MODULE.wat [ARGS...]}, following {@code wasmtime run}: the module gets
 * WASI preview1 (arguments = module path then ARGS, only the given environment, only the {@code --dir}
 * directories, inherited standard streams) and its {@code _start} runs; the exit status is the program's
 * {@code proc_exit} code (0 when {@code _start} returns). With {@code --invoke NAME} an export is called instead
 * with ARGS parsed per parameter type and its results printed one per line.
 *
 * <p>Exit statuses: a trap prints its message and wasm backtrace to standard error and exits
 * {@value #TRAP_STATUS} (128 + SIGABRT, as wasmtime on Unix); a file that cannot be read, a malformed or invalid
 * module, a missing import: one line on standard error, status 1; usage errors: status 2.
 */
final class RunCommand {
    private RunCommand() {
    }

    /** The status of a run that trapped (wasmtime's on Unix: 128 + SIGABRT). */
    static final int TRAP_STATUS = 134;

    static final String USAGE = """
            usage: isthmus run [OPTIONS] MODULE.wasm|MODULE.wat [ARGS...]
              --dir HOST[::GUEST]                 preopen a host directory (as GUEST, default HOST)
              --env KEY=VALUE | --env KEY         set (or inherit) one environment variable
              --inherit-env                       pass the whole host environment
              --invoke NAME                       call export NAME with ARGS instead of _start; print its results
              --stack-size BYTES                  size of the wasm stack (per thread)
              --trap-unknown-imports              imported functions not provided trap when called
              --default-values-unknown-imports    imported functions not provided return zeros
            """ + CompilerFlags.USAGE;

    /** The settings of one run, from the command line. */
    private static final class Settings {
        final List<WasiOptions.Preopen> dirs = new ArrayList<>();
        final List<String[]> env = new ArrayList<>();
        boolean inheritEnv;
        CompilerOptions compiler = CompilerOptions.DEFAULT;
        String invoke;
        UnknownImports unknownImports = UnknownImports.REFUSE;
    }

    private enum UnknownImports { REFUSE, TRAP, DEFAULT_VALUES }

    /** Thrown by a stand-in for an import the host does not provide (--trap-unknown-imports). */
    private static final class UnknownImportCalled extends RuntimeException {
        UnknownImportCalled(String message) {
            super(message, null, false, false);
        }
    }

    /** The engine for the command line's compiler flags. */
    static Isthmus engine(CompilerOptions options) {
        return Isthmus.builder().compilerOptions(options)
                .boundsChecks(options.boundsChecks())
                .build();
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Settings settings = new Settings();
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            String option = args[i];
            switch (option) {
                case "--dir" -> settings.dirs.add(preopen(value(args, i)));
                case "--env" -> settings.env.add(value(args, i).split("=", 2));
                case "--inherit-env" -> settings.inheritEnv = true;
                case "--invoke" -> settings.invoke = value(args, i);
                case "--stack-size" -> System.setProperty("isthmus.wasmStack.size", stackSize(value(args, i)));
                case "--tier", "--bounds-checks", "--stack-check", "--frame-pointer", "--align" ->
                        settings.compiler = CompilerFlags.apply(settings.compiler, option, value(args, i));
                case "--trap-unknown-imports" -> settings.unknownImports = UnknownImports.TRAP;
                case "--default-values-unknown-imports" -> settings.unknownImports = UnknownImports.DEFAULT_VALUES;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> throw new UsageException("unknown option " + option + "\n" + USAGE);
            }
            i += switch (option) {
                case "--dir", "--env", "--invoke", "--stack-size", "--tier", "--bounds-checks", "--stack-check",
                     "--frame-pointer", "--align" -> 2;
                default -> 1;
            };
        }
        if (i >= args.length) throw new UsageException("no module given\n" + USAGE);
        Path file = Path.of(args[i]);
        List<String> arguments = List.of(args).subList(i + 1, args.length);

        CompiledModule module;
        try {
            module = engine(settings.compiler).compile(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            err.println("isthmus run: " + file + ": no such file");
            return 1;
        } catch (IOException e) {
            err.println("isthmus run: cannot read " + file + ": " + e.getMessage());
            return 1;
        } catch (ModuleRejectedException | UnsupportedFeatureException e) {
            err.println("isthmus run: " + file + ": " + e.getMessage());
            return 1;
        }
        try (Wasi wasi = new Wasi(wasiOptions(settings, args[i], settings.invoke == null ? arguments : List.of(),
                out, err))) {
            Imports.Builder imports = wasi.addTo(Imports.builder());
            String missing = addUnknownImports(module, wasi, imports, settings.unknownImports);
            if (missing != null) {
                err.println("isthmus run: " + file + ": " + missing);
                return 1;
            }
            try (Instance instance = module.instantiate(imports.build())) {
                return settings.invoke == null ? runCommand(file, instance, wasi, err)
                        : invoke(file, instance, wasi, settings.invoke, arguments, out, err);
            }
        } catch (IOException e) {
            err.println("isthmus run: " + e.getMessage());
            return 1;
        } catch (UnlinkableException e) {
            err.println("isthmus run: " + file + ": " + e.getMessage());
            return 1;
        } catch (UninstantiableException e) {
            err.println("isthmus run: " + file + ": instantiation trapped\n" + e.trap().describe());
            return TRAP_STATUS;
        } catch (WasiExit exit) {
            return exit.code(); // proc_exit from the start function
        } catch (WasmTrap trap) {
            err.println(trap.describe());
            return TRAP_STATUS;
        } catch (UnknownImportCalled e) {
            err.println("wasm trap: " + e.getMessage());
            return TRAP_STATUS;
        }
    }

    private static int runCommand(Path file, Instance instance, Wasi wasi, PrintStream err) {
        if (!instance.exportKinds().containsKey("_start")) {
            err.println("isthmus run: " + file + " exports no function _start (name one with --invoke NAME)");
            return 1;
        }
        return wasi.run(instance);
    }

    private static int invoke(Path file, Instance instance, Wasi wasi, String name, List<String> arguments,
            PrintStream out, PrintStream err) {
        if (!instance.exportKinds().containsKey(name)) {
            err.println("isthmus run: " + file + " exports no function " + name);
            return 1;
        }
        wasi.bind(instance);
        FuncType type = instance.functionType(name);
        Object[] results = instance.call(name, parse(type, arguments));
        for (Object result : results) out.println(format(result));
        return 0;
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length) throw new UsageException(args[i] + " needs a value\n" + USAGE);
        return args[i + 1];
    }

    private static WasiOptions.Preopen preopen(String spec) {
        int split = spec.indexOf("::");
        String host = split < 0 ? spec : spec.substring(0, split);
        String guest = split < 0 ? spec : spec.substring(split + 2);
        return new WasiOptions.Preopen(Path.of(host), guest);
    }

    private static String stackSize(String text) {
        try {
            long bytes = Long.parseLong(text.replace("_", ""));
            if (bytes < 65536) throw new UsageException("--stack-size must be at least 65536 bytes");
            return Long.toString(bytes);
        } catch (NumberFormatException e) {
            throw new UsageException("--stack-size takes a number of bytes, not " + text);
        }
    }

    private static WasiOptions wasiOptions(Settings settings, String program, List<String> arguments,
            PrintStream out, PrintStream err) {
        WasiOptions.Builder b = WasiOptions.builder().arg(program).args(arguments).stdout(out).stderr(err);
        if (settings.inheritEnv) System.getenv().forEach(b::env);
        for (String[] kv : settings.env) {
            if (kv.length == 2) {
                b.env(kv[0], kv[1]);
            } else if (System.getenv(kv[0]) != null) {
                b.env(kv[0], System.getenv(kv[0]));
            }
        }
        for (WasiOptions.Preopen p : settings.dirs) b.preopen(p.host(), p.guestName());
        return b.build();
    }

    /**
     * Checks that every import is provided (WASI functions); stands in for the missing functions when the settings
     * say so. Returns null when everything links, else a one-line description of the first missing import.
     */
    private static String addUnknownImports(CompiledModule module, Wasi wasi, Imports.Builder imports,
            UnknownImports policy) {
        for (Import imp : module.module().imports()) {
            if (imp.module().equals(Wasi.MODULE) && wasi.functionNames().contains(imp.name())) continue;
            String name = imp.module() + "." + imp.name();
            if (imp.desc() instanceof ImportDesc.Func f && policy != UnknownImports.REFUSE) {
                FuncType type = module.module().types().get(f.typeIndex());
                imports.function(imp.module(), imp.name(), type, policy == UnknownImports.TRAP
                        ? callArgs -> {
                            throw new UnknownImportCalled("unknown import " + name + " " + type + " was called");
                        }
                        : callArgs -> zeros(type));
                continue;
            }
            return "missing import " + name + ": expected " + describe(module, imp.desc())
                    + (imp.desc() instanceof ImportDesc.Func
                            ? " (--trap-unknown-imports or --default-values-unknown-imports to run anyway)" : "");
        }
        return null;
    }

    private static String describe(CompiledModule module, ImportDesc desc) {
        return switch (desc) {
            case ImportDesc.Func f -> "func " + module.module().types().get(f.typeIndex());
            case ImportDesc.Table t -> "table " + t.type();
            case ImportDesc.Memory m -> "memory " + m.type();
            case ImportDesc.Global g -> "global " + g.type();
        };
    }

    private static Object[] zeros(FuncType type) {
        Object[] out = new Object[type.results().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type.results().get(i)) {
                case I32 -> 0;
                case I64 -> 0L;
                case F32 -> 0f;
                case F64 -> 0d;
                default -> null;
            };
        }
        return out;
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
