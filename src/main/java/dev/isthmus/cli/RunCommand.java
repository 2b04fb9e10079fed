package dev.isthmus.cli;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.UninstantiableException;
import dev.isthmus.WasmException;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code isthmus run [OPTIONS] MODULE.wasm|MODULE.wat [ARGS...]}, following {@code wasmtime run}: the module gets
 * WASI preview1 (arguments = module path then ARGS, only the given environment, only the {@code --dir}
 * directories, inherited standard streams) and its {@code _start} runs; the exit status is the program's
 * {@code proc_exit} code (0 when {@code _start} returns). With {@code --invoke NAME} an export is called instead
 * with ARGS parsed per parameter type and its results printed one per line.
 *
 * <p>Exit statuses ({@link Main}): a trap prints one line, {@code isthmus: FILE: wasm trap: MESSAGE; wasm backtrace:
 * ...}, and exits {@value #TRAP_STATUS} (128 + SIGABRT, as wasmtime on Unix); a file or directory that cannot be
 * read, a module that is not a module, malformed, invalid, unsupported, unlinkable or too large, an export that is
 * not a function: one line, status 1; usage errors (also the number or type of {@code --invoke} arguments): one
 * line, status 2.
 */
final class RunCommand {
    private RunCommand() {
    }

    /** The status of a run that trapped (wasmtime's on Unix: 128 + SIGABRT). */
    static final int TRAP_STATUS = Main.TRAP;

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
                default -> throw new UsageException("unknown option " + option);
            }
            i += switch (option) {
                case "--dir", "--env", "--invoke", "--stack-size", "--tier", "--bounds-checks", "--stack-check",
                     "--frame-pointer", "--align" -> 2;
                default -> 1;
            };
        }
        if (i >= args.length) throw new UsageException("no module given");
        Path file = Path.of(args[i]);
        List<String> arguments = List.of(args).subList(i + 1, args.length);

        CompiledModule module;
        try {
            module = engine(settings.compiler).compile(ModuleFiles.read(file));
        } catch (WasmException e) {
            throw new CommandFailure(Main.FAILURE, file + ": " + e.getMessage());
        }
        // what --invoke names, and its arguments, are checked before anything runs
        FuncType invoked = settings.invoke == null ? null : invokedType(file, module, settings.invoke);
        Object[] invokeArgs = invoked == null ? null : parse(settings.invoke, invoked, arguments);
        try (Wasi wasi = new Wasi(wasiOptions(settings, args[i], settings.invoke == null ? arguments : List.of(),
                out, err))) {
            Imports.Builder imports = wasi.addTo(Imports.builder());
            String missing = addUnknownImports(module, wasi, imports, settings.unknownImports);
            if (missing != null) throw new CommandFailure(Main.FAILURE, file + ": " + missing);
            try (Instance instance = module.instantiate(imports.build())) {
                return settings.invoke == null ? runCommand(file, instance, wasi)
                        : invoke(instance, wasi, settings.invoke, invokeArgs, out);
            }
        } catch (IOException e) {
            throw new CommandFailure(Main.FAILURE, e.getMessage());
        } catch (WasiExit exit) {
            return exit.code(); // proc_exit from the start function
        } catch (WasmException e) {
            throw new CommandFailure(e instanceof WasmTrap || e instanceof UninstantiableException u
                    && u.trap() != null ? TRAP_STATUS : Main.FAILURE, file + ": " + Main.describe(e));
        } catch (UnknownImportCalled e) {
            throw new CommandFailure(TRAP_STATUS, file + ": wasm trap: " + e.getMessage());
        }
    }

    private static int runCommand(Path file, Instance instance, Wasi wasi) {
        if (instance.exportKinds().get("_start") != ExternKind.FUNC) {
            throw new CommandFailure(Main.FAILURE, file + " exports no function _start (name one with --invoke NAME)");
        }
        return wasi.run(instance);
    }

    /** The type of the export {@code name} that {@code --invoke} calls; a one-line failure when it is no function. */
    private static FuncType invokedType(Path file, CompiledModule module, String name) {
        for (Export export : module.module().exports()) {
            if (!export.name().equals(name)) continue;
            if (export.kind() != ExternKind.FUNC) {
                throw new CommandFailure(Main.FAILURE, file + ": export \"" + name + "\" is a "
                        + export.kind().name().toLowerCase(Locale.ROOT) + ", not a function (--invoke calls a function)");
            }
            return module.module().functionType(export.index());
        }
        throw new CommandFailure(Main.FAILURE, file + " exports no function \"" + name + "\"");
    }

    private static int invoke(Instance instance, Wasi wasi, String name, Object[] arguments, PrintStream out) {
        wasi.bind(instance);
        Object[] results = instance.call(name, arguments);
        for (Object result : results) out.println(format(result));
        return 0;
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length) throw new UsageException(args[i] + " needs a value");
        return args[i + 1];
    }

    /** {@code HOST[::GUEST]}: the host directory must exist. */
    private static WasiOptions.Preopen preopen(String spec) {
        int split = spec.indexOf("::");
        String host = split < 0 ? spec : spec.substring(0, split);
        String guest = split < 0 ? spec : spec.substring(split + 2);
        if (host.isEmpty()) throw new UsageException("--dir " + spec + ": no host directory (--dir HOST[::GUEST])");
        Path path = Path.of(host);
        if (!Files.exists(path)) {
            throw new CommandFailure(Main.FAILURE, "--dir " + spec + ": no such directory " + host
                    + " (--dir HOST[::GUEST] preopens an existing host directory)");
        }
        if (!Files.isDirectory(path)) {
            throw new CommandFailure(Main.FAILURE, "--dir " + spec + ": " + host + " is not a directory"
                    + " (--dir HOST[::GUEST] preopens an existing host directory)");
        }
        return new WasiOptions.Preopen(path, guest);
    }

    private static String stackSize(String text) {
        try {
            long bytes = Long.parseLong(text.replace("_", ""));
            if (bytes < 65536) throw new UsageException("--stack-size must be at least 65536 bytes, not " + text);
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
            String name = "\"" + imp.module() + "\" \"" + imp.name() + "\"";
            if (imp.desc() instanceof ImportDesc.Func f && policy != UnknownImports.REFUSE) {
                FuncType type = module.module().types().get(f.typeIndex());
                imports.function(imp.module(), imp.name(), type, policy == UnknownImports.TRAP
                        ? callArgs -> {
                            throw new UnknownImportCalled("unknown import " + name + " " + type + " was called"
                                    + " (--trap-unknown-imports)");
                        }
                        : callArgs -> zeros(type));
                continue;
            }
            return "unknown import " + name + ": expected " + describe(module, imp.desc()) + ", not provided"
                    + (imp.desc() instanceof ImportDesc.Func
                            ? " (--trap-unknown-imports or --default-values-unknown-imports to run anyway)" : "");
        }
        return null;
    }

    private static String describe(CompiledModule module, ImportDesc desc) {
        return switch (desc) {
            case ImportDesc.Func f -> module.module().types().get(f.typeIndex()).toString();
            case ImportDesc.Table t -> t.type().toString();
            case ImportDesc.Memory m -> m.type().toString();
            case ImportDesc.Global g -> g.type().toString();
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

    private static Object[] parse(String name, FuncType type, List<String> arguments) {
        List<ValType> params = type.params();
        if (arguments.size() != params.size()) {
            throw new UsageException("--invoke " + name + ": " + type + " takes " + params.size()
                    + (params.size() == 1 ? " argument" : " arguments") + ", got " + arguments.size());
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
                    default -> throw new UsageException("--invoke " + name + ": parameter " + i + " is a "
                            + params.get(i) + ", which cannot be given on the command line");
                });
            } catch (NumberFormatException e) {
                throw new UsageException("--invoke " + name + ": argument " + (i + 1) + " \"" + text + "\" is not an "
                        + params.get(i) + (params.get(i).isNumeric() && !e.getMessage().contains("range") ? ""
                                : " (out of range)"));
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
