package dev.isthmus.cli;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.ResourceLimits;
import dev.isthmus.UninstantiableException;
import dev.isthmus.V128;
import dev.isthmus.WasmException;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Compilation;
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
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code isthmus run [OPTIONS] MODULE.wasm|MODULE.wat [ARGS...]}, following {@code wasmtime run}: the module gets
 * WASI preview1 (arguments = the module's file name, or {@code --argv0}, then ARGS, only the given environment,
 * only the {@code --dir} directories, inherited standard streams; {@code -S} options as wasmtime's), its
 * {@code _initialize} runs if it exports one, then its default export ({@code ""} or {@code _start}); the exit
 * status is the program's {@code proc_exit} code (0 when it returns). With {@code --invoke NAME} an export is called
 * instead with ARGS parsed per parameter type and its results printed one per line. {@code docs/wasi.md} compares
 * every option with wasmtime's.
 *
 * <p>Exit statuses ({@link Main}): a trap prints one line, {@code isthmus: FILE: wasm trap: MESSAGE; wasm backtrace:
 * ...}, and exits {@value #TRAP_STATUS} (128 + SIGABRT, as wasmtime on Unix); a file or directory that cannot be
 * read, a module that is not a module, malformed, invalid, unsupported, unlinkable or too large, a resource limit
 * ({@code -W max-*}), an export that is not a function: one line, status 1; usage errors (also the number or type
 * of {@code --invoke} arguments, and {@code -S} options asking for what Isthmus has not): one line, status 2.
 */
final class RunCommand {
    private RunCommand() {
    }

    /** The status of a run that trapped (wasmtime's on Unix: 128 + SIGABRT). */
    static final int TRAP_STATUS = Main.TRAP;

    static final String USAGE = """
            usage: isthmus run [OPTIONS] [--] MODULE.wasm|MODULE.wat|MODULE.ism [ARGS...]
            a code file (MODULE.ism, from isthmus compile) loads without compiling; give the compiler options
            it was compiled with
            options come before the module; every word after it goes to the program (or to --invoke) untouched;
            "--" ends the options; an option's value may also be given as --option=VALUE
              --dir HOST[::GUEST]                 preopen a host directory (as GUEST, default HOST)
              --env KEY=VALUE | --env KEY         set (or inherit) one environment variable
              --argv0 NAME                        the program's argv[0] (default: the module's file name)
              --inherit-env                       pass the whole host environment (as -S inherit-env)
              --profile perfmap                   list the module's functions in /tmp/perf-PID.map for perf
              --compile eager|lazy|tiered|auto    when functions are compiled (default auto): eager, all before
                                                  the program starts (what the code cache keeps); lazy, each
                                                  when first called; tiered, each when first called by the
                                                  baseline tier, hot ones again by the optimizing tier in the
                                                  background; auto, eager for a code section up to 256 KiB,
                                                  tiered above (a cached or .ism module always loads eagerly)
              --no-cache                          compile without the code cache (by default compiled modules
                                                  are kept in $ISTHMUS_CACHE_DIR, else $XDG_CACHE_HOME/isthmus,
                                                  else ~/.cache/isthmus, and loaded from there the next time)
              --invoke NAME                       call export NAME with ARGS instead of the default export ("" or
                                                  _start); print its results (an exported _initialize runs first,
                                                  before --invoke or _start; a reactor without either only runs it)
              -W KEY=VALUE[,KEY=VALUE...]         wasm settings, as wasmtime's -W / --wasm:
                   timeout=DURATION               interrupt wasm running longer (a trap, status 134): 10 or 10s,
                                                  500ms, 2m, 1h 30m; each call into wasm gets its own
                   max-wasm-stack=BYTES           size of the wasm stack (64 KiB to 1 GiB; process-wide: set
                                                  before any wasm runs, it cannot change afterwards)
                   max-memory-size=BYTES          the most bytes each memory may grow to (memory.grow
                                                  returns -1 past it)
                   max-table-elements=N           the same for each table (table.grow returns -1 past it)
                   max-instances=N                the most instances (this run makes one: 0 refuses it)
                   max-tables=N                   the most tables the instances define (imported ones are
                                                  not counted); more fail instantiation
                   max-memories=N                 the same for memories
                   unknown-imports-trap[=y|n]     the same as --trap-unknown-imports
                   unknown-imports-default[=y|n]  the same as --default-values-unknown-imports
                   fuel=N                         run with N units of fuel (fuel metering): running out is
                                                  a trap, status 134
              --stack-size BYTES                  the same as -W max-wasm-stack=BYTES
              --trap-unknown-imports              imported functions not provided trap when called
              --default-values-unknown-imports    imported functions not provided return zeros
              -S KEY[=VALUE][,KEY[=VALUE]...]     WASI options, as wasmtime's -S / --wasi (Isthmus has WASI
                                                  preview1 only); booleans take nothing, y, yes, true, n, no, false:
                   inherit-env[=y|n]              the same as --inherit-env (--env still sets or overrides)
                   cli[=y|n]                      link WASI (default y; n: no WASI functions at all)
                   common[=y|n]                   deprecated alias of cli (not together with it)
                   preview2, preview0, threads, nn, http, config, keyvalue, tls, p3, listenfd,
                   inherit-network, allow-ip-name-lookup, tcp, udp, cli-exit-with-code,
                   network-error-code             capabilities Isthmus has not: =n is accepted, on is refused
                   tcplisten, nn-graph, config-var, keyvalue-in-memory-data, max-resources, hostcall-fuel,
                   max-random-size, max-http-fields-size, http-outgoing-body-buffer-chunks,
                   http-outgoing-body-chunk-size  refused (they configure what Isthmus has not)
            """ + CompilerFlags.USAGE;

    /** The settings of one run, from the command line. */
    private static final class Settings {
        final List<WasiOptions.Preopen> dirs = new ArrayList<>();
        final List<String[]> env = new ArrayList<>();
        boolean inheritEnv;
        CompilerOptions compiler = CompilerOptions.DEFAULT;
        String invoke;
        UnknownImports unknownImports = UnknownImports.REFUSE;
        /** --profile=perfmap. */
        boolean perfMap;
        /** --compile: null for auto. */
        Compilation compilation;
        /** --no-cache. */
        boolean noCache;
        /** --argv0: null for the module's file name. */
        String argv0;
        /** -W timeout: null for none. */
        Duration timeout;
        /** --stack-size or -W max-wasm-stack: 0 for the default. */
        long stackSize;
        /** -W max-memory-size: bytes per memory, Long.MAX_VALUE for no cap. */
        long maxMemoryBytes = Long.MAX_VALUE;
        /** -W fuel: the fuel the instance starts with (fuel metering is on when given). */
        long fuel;
        /** -W max-table-elements, max-instances, max-tables, max-memories: MAX_VALUE for no cap. */
        long maxTableElements = Long.MAX_VALUE;
        int maxInstances = Integer.MAX_VALUE;
        int maxTables = Integer.MAX_VALUE;
        int maxMemories = Integer.MAX_VALUE;
        /** -S cli and -S common: null when not given. */
        Boolean wasiCli;
        Boolean wasiCommon;
        /** -S capabilities Isthmus has not, by key: whether the last -S of that key turned it on. */
        final Map<String, Boolean> absentCapabilities = new LinkedHashMap<>();

        ResourceLimits limits() {
            return ResourceLimits.builder().maxMemoryBytes(maxMemoryBytes).maxTableElements(maxTableElements)
                    .maxInstances(maxInstances).maxTables(maxTables).maxMemories(maxMemories).build();
        }
    }

    /** The system property that sets the wasm stack size of the process, read once before the first wasm call. */
    static final String WASM_STACK_PROPERTY = "isthmus.wasmStack.size";
    private static final long MIN_STACK = 64 << 10;
    private static final long MAX_STACK = 1L << 30;
    /** The export a reactor runs first. */
    private static final String INITIALIZE = "_initialize";

    private enum UnknownImports { REFUSE, TRAP, DEFAULT_VALUES }

    /** Thrown by a stand-in for an import the host does not provide (--trap-unknown-imports). */
    private static final class UnknownImportCalled extends RuntimeException {
        UnknownImportCalled(String message) {
            super(message, null, false, false);
        }
    }

    /** The engine for the command line's compiler flags. */
    static Isthmus engine(CompilerOptions options) {
        return engine(options, null, Long.MAX_VALUE, 0);
    }

    /**
     * The engine for the compiler flags, {@code -W max-memory-size} and {@code -W timeout} (a call timeout: each call from the command line into
     * wasm, the start function, {@code _initialize}, {@code _start} or the {@code --invoke}d export, gets its own).
     */
    static Isthmus engine(CompilerOptions options, Duration timeout, long maxMemoryBytes, long fuel) {
        return engine(options, timeout, ResourceLimits.builder().maxMemoryBytes(maxMemoryBytes).build(), fuel, false,
                null, null);
    }

    /**
     * The engine with {@code limits}: {@code -W max-memory-size}, {@code max-table-elements} (as wasmtime, a grow past
     * them returns -1, a declared minimum past them fails instantiation), {@code max-instances}, {@code max-tables},
     * {@code max-memories} (an instantiation past them fails), {@code -W fuel} (the instance starts with it),
     * {@code --profile=perfmap} and the code cache in {@code cache} (null: none), warning on {@code err}.
     */
    static Isthmus engine(CompilerOptions options, Duration timeout, ResourceLimits limits, long fuel,
                          boolean perfMap, Path cache, PrintStream err) {
        Isthmus.Builder builder = Isthmus.builder().compilerOptions(options).boundsChecks(options.boundsChecks())
                .perfMap(perfMap);
        if (cache != null) {
            builder.codeCache(cache, Isthmus.DEFAULT_CODE_CACHE_BYTES, line -> err.println("isthmus: warning: " + line));
        }
        if (options.fuel()) builder.initialFuel(fuel);          // -W fuel=N: the instance starts with N
        if (!limits.equals(ResourceLimits.NONE)) builder.limits(limits);
        // a timeout of zero interrupts at once in wasmtime; Isthmus's zero means "no limit"
        if (timeout != null) builder.callTimeout(timeout.isZero() ? Duration.ofNanos(1) : timeout);
        return builder.build();
    }

    /**
     * {@code --compile auto}: modules whose code section is at most this large are compiled eagerly (cold, the
     * optimizing tier takes about 0.5 s for it on this machine kind), larger ones tiered.
     */
    static final int AUTO_EAGER_CODE_BYTES = 256 * 1024;

    private static Compilation compilation(String value) {
        try {
            return value.equalsIgnoreCase("auto") ? null : Compilation.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--compile must be eager, lazy, tiered or auto: " + value);
        }
    }

    /**
     * The size of a binary module's code section, read from the section headers (0 for text, which is small, or
     * for bytes that are not a module: compiling them reports what is wrong).
     */
    static long codeSectionBytes(byte[] bytes) {
        if (bytes.length < 8 || bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') return 0;
        int at = 8;
        while (at < bytes.length) {
            int id = bytes[at++] & 0xFF;
            long size = 0;
            for (int shift = 0; ; shift += 7) {
                if (at >= bytes.length || shift > 28) return 0;
                int b = bytes[at++] & 0xFF;
                size |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
            }
            if (id == 10) return size;
            at += (int) Math.min(size, bytes.length);
        }
        return 0;
    }

    /** The options of {@code run} that take a value (also written {@code --option=value}). */
    private static boolean takesValue(String option) {
        return switch (option) {
            case "--dir", "--env", "--argv0", "--invoke", "--stack-size", "-W", "--wasm", "-S", "--wasi", "--profile",
                 "--compile" -> true;
            default -> CompilerFlags.isFlag(option);
        };
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Settings settings = new Settings();
        int i = 0;
        // options come before the module (as in wasmtime run): everything after it goes to the program untouched;
        // "--" ends the options, and the word after it is the module even if it starts with '-'
        while (i < args.length && args[i].startsWith("-")) {
            String word = args[i++];
            if (word.equals("--")) break;
            String option = word;
            String value = null;
            if (word.startsWith("--") && word.indexOf('=') > 2) {          // --option=value
                option = word.substring(0, word.indexOf('='));
                value = word.substring(word.indexOf('=') + 1);
                if (!takesValue(option)) {
                    throw new UsageException(isKnownSwitch(option) ? option + " takes no value"
                            : "unknown option " + option);
                }
            } else if ((word.startsWith("-W") || word.startsWith("-C") || word.startsWith("-S")) && word.length() > 2) {
                // -Wkey=value (clap)
                option = word.substring(0, 2);
                value = word.substring(2);
            } else if (takesValue(option)) {
                if (i >= args.length) throw new UsageException(option + " needs a value");
                value = args[i++];
            }
            switch (option) {
                case "--dir" -> settings.dirs.add(preopen(value));
                case "--env" -> settings.env.add(value.split("=", 2));
                case "--inherit-env" -> settings.inheritEnv = true;
                case "--no-cache" -> settings.noCache = true;
                case "--compile" -> settings.compilation = compilation(value);
                case "--invoke" -> settings.invoke = value;
                case "--argv0" -> settings.argv0 = value;
                case "--profile" -> settings.perfMap = profile(value);
                case "--stack-size" -> settings.stackSize = stackSize("--stack-size", value);
                case "-W", "--wasm" -> wasmOptions(settings, value);
                case "-S", "--wasi" -> wasiFlags(settings, value);
                case "--trap-unknown-imports" -> settings.unknownImports = UnknownImports.TRAP;
                case "--default-values-unknown-imports" -> settings.unknownImports = UnknownImports.DEFAULT_VALUES;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (!CompilerFlags.isFlag(option)) throw new UsageException("unknown option " + option);
                    settings.compiler = CompilerFlags.apply(settings.compiler, option, value);
                }
            }
        }
        boolean linkWasi = checkWasiFlags(settings);
        // the wasm stack size is process-wide and fixed when the first wasm stack is made: set it before anything runs
        if (settings.stackSize > 0) {
            System.setProperty(WASM_STACK_PROPERTY, Long.toString(settings.stackSize));
        }
        if (i >= args.length) throw new UsageException("no module given");
        Path file = Path.of(args[i]);
        List<String> arguments = List.of(args).subList(i + 1, args.length);

        CompiledModule module;
        try {
            // a code file (isthmus compile) is recognised by its magic, whatever its name
            byte[] bytes = ModuleFiles.readModuleOrCodeFile(file);
            Compilation compilation = settings.compilation != null ? settings.compilation
                    : Isthmus.isCodeFile(bytes) || codeSectionBytes(bytes) <= AUTO_EAGER_CODE_BYTES
                    ? Compilation.EAGER : Compilation.TIERED;
            Isthmus engine = engine(settings.compiler.withCompilation(compilation), settings.timeout,
                    settings.limits(), settings.fuel, settings.perfMap, settings.noCache ? null : cacheDirectory(),
                    err);
            module = Isthmus.isCodeFile(bytes) ? engine.deserialize(bytes) : engine.compile(bytes);
        } catch (WasmException e) {
            throw new CommandFailure(Main.FAILURE, file + ": " + e.getMessage());
        }
        // what --invoke names, and its arguments, are checked before anything runs
        FuncType invoked = settings.invoke == null ? null : invokedType(file, module, settings.invoke);
        Object[] invokeArgs = invoked == null ? null : parse(settings.invoke, invoked, arguments);
        boolean reactor = isReactor(file, module);
        // argv[0]: as wasmtime, the module's file name without its directories (or --argv0)
        String program = settings.argv0 != null ? settings.argv0
                : file.getFileName() == null ? args[i] : file.getFileName().toString();
        try (Wasi wasi = new Wasi(wasiOptions(settings, program, settings.invoke == null ? arguments : List.of(),
                out, err))) {
            // -S cli=n: no WASI functions (imports of them are then unknown imports)
            Imports.Builder imports = linkWasi ? wasi.addTo(Imports.builder()) : Imports.builder();
            String missing = addUnknownImports(module, wasi, imports, settings.unknownImports);
            if (missing != null) throw new CommandFailure(Main.FAILURE, file + ": " + missing);
            try (Instance instance = module.instantiate(imports.build())) {
                if (reactor) {
                    // as wasmtime run: an exported _initialize runs once, before anything else
                    int status = wasi.run(instance, INITIALIZE);
                    if (status != 0) return status;
                }
                return settings.invoke == null ? runDefault(file, instance, wasi, reactor)
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

    /**
     * Whether the module exports a function {@code _initialize} (taking and returning nothing), which runs first: a
     * reactor, or a command that also has one (wasmtime run calls {@code _initialize} and then {@code _start}).
     */
    private static boolean isReactor(Path file, CompiledModule module) {
        Export initialize = null;
        for (Export export : module.module().exports()) {
            if (export.kind() == ExternKind.FUNC && export.name().equals(INITIALIZE)) initialize = export;
        }
        if (initialize == null) return false;
        FuncType type = module.module().functionType(initialize.index());
        if (!type.params().isEmpty() || !type.results().isEmpty()) {
            throw new CommandFailure(Main.FAILURE, file + ": _initialize is a " + type
                    + ", not a function without parameters and results");
        }
        return true;
    }

    /**
     * Without {@code --invoke}, as wasmtime run: the function exported as {@code ""} if there is one, else
     * {@code _start}. A reactor with neither has run its {@code _initialize}, which is all; any other module without
     * either fails (wasmtime runs nothing and exits 0).
     */
    private static int runDefault(Path file, Instance instance, Wasi wasi, boolean initialized) {
        String entry = instance.exportKinds().get("") == ExternKind.FUNC ? "" : "_start";
        if (instance.exportKinds().get(entry) != ExternKind.FUNC) {
            if (initialized) return 0;
            throw new CommandFailure(Main.FAILURE, file + " exports no function _start (name one with --invoke NAME)");
        }
        return wasi.run(instance, entry);
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

    /**
     * The code cache's directory: {@code $ISTHMUS_CACHE_DIR}, else {@code $XDG_CACHE_HOME/isthmus}, else
     * {@code ~/.cache/isthmus} (wasmtime keeps its cache in the same place).
     */
    static Path cacheDirectory() {
        String own = System.getenv("ISTHMUS_CACHE_DIR");
        if (own != null && !own.isBlank()) return Path.of(own);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "isthmus");
        return Path.of(System.getProperty("user.home"), ".cache", "isthmus");
    }

    /** The options of {@code run} that take no value. */
    private static boolean isKnownSwitch(String option) {
        return switch (option) {
            case "--inherit-env", "--trap-unknown-imports", "--default-values-unknown-imports", "--no-cache", "--help" ->
                    true;
            default -> false;
        };
    }

    /** {@code -W KEY=VALUE[,KEY=VALUE...]}: wasmtime's {@code -W} / {@code --wasm} options that apply here. */
    private static void wasmOptions(Settings settings, String list) {
        for (String item : list.split(",", -1)) {
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            String value = eq < 0 ? null : item.substring(eq + 1);
            switch (key) {
                case "timeout" -> settings.timeout = WasmDurations.parse(required(key, value, "DURATION"));
                case "max-table-elements" -> settings.maxTableElements = count(key, required(key, value, "N"));
                case "max-instances" -> settings.maxInstances = intCount(key, required(key, value, "N"));
                case "max-tables" -> settings.maxTables = intCount(key, required(key, value, "N"));
                case "max-memories" -> settings.maxMemories = intCount(key, required(key, value, "N"));
                case "max-wasm-stack" -> settings.stackSize = stackSize("-W max-wasm-stack",
                        required(key, value, "BYTES"));
                case "max-memory-size" -> settings.maxMemoryBytes = bytes("-W max-memory-size",
                        required(key, value, "BYTES"));
                case "fuel" -> {                               // as wasmtime: fuel metering with N units
                    String units = required(key, value, "N");
                    try {
                        settings.fuel = Long.parseLong(units);
                    } catch (NumberFormatException e) {
                        settings.fuel = -1;
                    }
                    if (settings.fuel < 0) throw new UsageException("-W fuel takes a number of units, not " + units);
                    settings.compiler = settings.compiler.withFuel(true);
                }
                case "unknown-imports-trap" -> {
                    if (yesNo("-W", key, value)) settings.unknownImports = UnknownImports.TRAP;
                }
                case "unknown-imports-default" -> {
                    if (yesNo("-W", key, value)) settings.unknownImports = UnknownImports.DEFAULT_VALUES;
                }
                default -> throw new UsageException(key.isEmpty() ? "-W needs KEY=VALUE" : "unknown -W option " + key
                        + " (this run knows " + W_KEYS + ")");
            }
        }
    }

    /** The -W keys this command knows. */
    static final String W_KEYS = "timeout, max-wasm-stack, max-memory-size, max-table-elements, max-instances,"
            + " max-tables, max-memories, unknown-imports-trap,"
            + " unknown-imports-default, fuel";

    /** A boolean -W or -S value as wasmtime takes it: nothing, y, yes, true; or n, no, false. */
    private static boolean yesNo(String flag, String key, String value) {
        return switch (value == null ? "y" : value) {
            case "y", "yes", "true" -> true;
            case "n", "no", "false" -> false;
            default -> throw new UsageException(flag + " " + key + "=" + value + ": expected y, yes, true, n, no or false");
        };
    }

    /** A count as wasmtime takes it (a usize): decimal, or hexadecimal after {@code 0x}. */
    private static long count(String key, String text) {
        try {
            return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("-W " + key + " takes a number, not " + text);
        }
    }

    /** A count of instances, tables or memories: more than {@link Integer#MAX_VALUE} caps nothing. */
    private static int intCount(String key, String text) {
        long n = count(key, text);
        return n < 0 || n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    private static final String NO_SOCKETS = "no network sockets (a preview1 program only has the sockets preopened"
            + " for it, and Isthmus preopens none)";

    private static final String COMPONENT_LIMIT = "it limits WASI 0.2 (component) host calls, which Isthmus has not";

    /**
     * wasmtime's boolean -S options for capabilities Isthmus has not (WASI preview1 is all it has), with why: turning
     * one off is accepted (there is nothing to turn off), turning it on is refused.
     */
    private static final Map<String, String> ABSENT_CAPABILITIES = Map.ofEntries(
            Map.entry("preview2", "Isthmus implements WASI preview1 itself, not on a preview2 implementation"),
            Map.entry("preview0", "no wasi_unstable (preview0) imports"),
            Map.entry("threads", "no wasi-threads"),
            Map.entry("nn", "no wasi-nn"),
            Map.entry("http", "no wasi-http"),
            Map.entry("config", "no wasi-config"),
            Map.entry("keyvalue", "no wasi-keyvalue"),
            Map.entry("tls", "no wasi-tls"),
            Map.entry("p3", "no WASIp3"),
            Map.entry("cli-exit-with-code", "no wasi:cli exit-with-code (a component API)"),
            Map.entry("network-error-code", "no wasi:sockets network-error-code (a component API)"),
            Map.entry("listenfd", "no preopened sockets"),
            Map.entry("inherit-network", NO_SOCKETS),
            Map.entry("allow-ip-name-lookup", NO_SOCKETS),
            Map.entry("tcp", NO_SOCKETS),
            Map.entry("udp", NO_SOCKETS));

    /** wasmtime's -S options with a value that configure what Isthmus has not: refused whatever the value. */
    private static final Map<String, String> ABSENT_SETTINGS = Map.ofEntries(
            Map.entry("tcplisten", "no preopened sockets"),
            Map.entry("nn-graph", "no wasi-nn"),
            Map.entry("config-var", "no wasi-config"),
            Map.entry("keyvalue-in-memory-data", "no wasi-keyvalue"),
            Map.entry("http-outgoing-body-buffer-chunks", "no wasi-http"),
            Map.entry("http-outgoing-body-chunk-size", "no wasi-http"),
            Map.entry("max-http-fields-size", "no wasi-http"),
            Map.entry("max-resources", COMPONENT_LIMIT),
            Map.entry("hostcall-fuel", COMPONENT_LIMIT),
            Map.entry("max-random-size", COMPONENT_LIMIT));

    /** {@code -S KEY[=VALUE][,KEY[=VALUE]...]}: wasmtime's {@code -S} / {@code --wasi} options. */
    private static void wasiFlags(Settings settings, String list) {
        for (String item : list.split(",", -1)) {
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            String value = eq < 0 ? null : item.substring(eq + 1);
            switch (key) {
                case "inherit-env" -> settings.inheritEnv = yesNo("-S", key, value);
                case "cli" -> settings.wasiCli = yesNo("-S", key, value);
                case "common" -> settings.wasiCommon = yesNo("-S", key, value);
                default -> {
                    if (ABSENT_CAPABILITIES.containsKey(key)) {
                        // as wasmtime, the last -S of a key counts: "-S threads -S threads=n" turns it off
                        settings.absentCapabilities.remove(key);
                        settings.absentCapabilities.put(key, yesNo("-S", key, value));
                    } else if (ABSENT_SETTINGS.containsKey(key)) {
                        throw new UsageException("-S " + item + " is not supported: " + ABSENT_SETTINGS.get(key));
                    } else {
                        throw new UsageException(key.isEmpty() ? "-S needs KEY[=VALUE]" : "unknown -S option " + key
                                + " (this run knows " + S_KEYS + ")");
                    }
                }
            }
        }
    }

    /** The -S keys this command knows. */
    static final String S_KEYS = "inherit-env, cli, common; wasmtime's other -S options only to turn them off or"
            + " refuse them";

    /**
     * After every option: refuses a capability the -S options left on, and -S cli with -S common (as wasmtime).
     * Returns whether WASI is linked (-S cli, default yes).
     */
    private static boolean checkWasiFlags(Settings settings) {
        for (var entry : settings.absentCapabilities.entrySet()) {
            if (entry.getValue()) {
                throw new UsageException("-S " + entry.getKey() + " is not supported: "
                        + ABSENT_CAPABILITIES.get(entry.getKey()) + "; -S " + entry.getKey() + "=n is accepted");
            }
        }
        if (settings.wasiCli != null && settings.wasiCommon != null) {
            throw new UsageException("-S common is a deprecated alias of -S cli: give one of them");
        }
        Boolean cli = settings.wasiCli != null ? settings.wasiCli : settings.wasiCommon;
        return cli == null || cli;
    }

    private static String required(String key, String value, String what) {
        if (value == null || value.isEmpty()) throw new UsageException("-W " + key + " needs a value: -W " + key + "=" + what);
        return value;
    }

    /** A number of bytes as wasmtime takes it: decimal, or hexadecimal after {@code 0x}. */
    private static long bytes(String option, String text) {
        try {
            return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a number of bytes, not " + text);
        }
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

    /** A wasm stack size: 64 KiB to 1 GiB (the range the runtime takes; it rounds up to whole pages). */
    /** {@code --profile=STRATEGY}, as wasmtime's: {@code perfmap} here; the others are refused. */
    private static boolean profile(String strategy) {
        return switch (strategy) {
            case "perfmap" -> true;
            case "jitdump", "vtune", "guest" -> throw new UsageException("--profile=" + strategy
                    + " is not supported (perfmap is)");
            default -> throw new UsageException("unknown --profile strategy " + strategy + " (perfmap)");
        };
    }

    static long stackSize(String option, String text) {
        long bytes = bytes(option, text.replace("_", ""));
        if (bytes < MIN_STACK || bytes > MAX_STACK) {
            throw new UsageException(option + " must be between " + MIN_STACK + " and " + MAX_STACK + " bytes, not "
                    + text);
        }
        return bytes;
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
            case ImportDesc.Tag t -> "tag " + module.module().types().get(t.typeIndex());
        };
    }

    private static Object[] zeros(FuncType type) {
        Object[] out = new Object[type.results().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type.results().get(i).kind()) {
                case I32 -> 0;
                case I64 -> 0L;
                case F32 -> 0f;
                case F64 -> 0d;
                case V128 -> V128.ZERO;
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
                values.add(switch (params.get(i).kind()) {
                    case I32 -> (int) parseInteger(text, 32);
                    case I64 -> parseInteger(text, 64);
                    case F32 -> Float.parseFloat(text);
                    case F64 -> Double.parseDouble(text);
                    case V128 -> parseV128(text);
                    default -> throw new UsageException("--invoke " + name + ": parameter " + i + " is a "
                            + params.get(i) + ", which cannot be given on the command line");
                });
            } catch (NumberFormatException e) {
                boolean range = String.valueOf(e.getMessage()).contains("range");
                throw new UsageException("--invoke " + name + ": argument " + (i + 1) + " \"" + text + "\" is not "
                        + (params.get(i) == ValType.V128 ? "a " : "an ") + params.get(i)
                        + (range ? " (out of range)" : ""));
            }
        }
        return values.toArray();
    }

    /** A v128 as one unsigned 128-bit number, decimal or 0x hex (as wasmtime's --invoke takes it). */
    private static V128 parseV128(String text) {
        String t = text.replace("_", "");
        BigInteger value = t.startsWith("0x") || t.startsWith("0X") ? new BigInteger(t.substring(2), 16)
                : new BigInteger(t);
        if (value.signum() < 0 || value.bitLength() > 128) throw new NumberFormatException("out of v128 range");
        return V128.of(value.longValue(), value.shiftRight(64).longValue());
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

    /**
     * A result of {@code --invoke} as wasmtime prints it: integers signed; floats in Rust's {@code Display} form (the
     * shortest decimal that reads back as the same value, never an exponent: {@code 1}, {@code 0.1}, {@code -0},
     * {@code 1000000000000000000000}, {@code NaN}, {@code inf}); a v128 as one unsigned 128-bit decimal number.
     */
    static String format(Object value) {
        return switch (value) {
            case null -> "null";
            case Float f when f.isNaN() -> "NaN";
            case Double d when d.isNaN() -> "NaN";
            case Float f when f.isInfinite() -> f > 0 ? "inf" : "-inf";
            case Double d when d.isInfinite() -> d > 0 ? "inf" : "-inf";
            case Float f -> plainDecimal(Float.toString(f), f == 0 && 1 / f < 0);
            case Double d -> plainDecimal(Double.toString(d), d == 0 && 1 / d < 0);
            case V128 v -> new BigInteger(Long.toUnsignedString(v.high())).shiftLeft(64)
                    .or(new BigInteger(Long.toUnsignedString(v.low()))).toString();
            default -> value.toString();
        };
    }

    /** Java's shortest repr of a finite float ({@code 1.0E-7}) written out without exponent or trailing zeros. */
    private static String plainDecimal(String javaRepr, boolean negativeZero) {
        if (negativeZero) return "-0";
        return new java.math.BigDecimal(javaRepr).stripTrailingZeros().toPlainString();
    }
}
