package dev.isthmus;

import dev.isthmus.binary.DecodeException;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.ModuleRejection;
import dev.isthmus.binary.UnsupportedProposalException;
import dev.isthmus.compiler.ModuleCompiler;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import dev.isthmus.runtime.instance.ModuleCode;
import dev.isthmus.serialize.CodeCache;
import dev.isthmus.runtime.loader.LazyCode;
import dev.isthmus.options.Compilation;
import dev.isthmus.serialize.CodeFile;
import dev.isthmus.serialize.CodeFileException;
import dev.isthmus.serialize.ModuleImage;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CodeAlignment;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import dev.isthmus.model.WasmModule;
import dev.isthmus.model.WasmVersion;
import dev.isthmus.runtime.loader.PerfMap;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The engine: compiles WebAssembly modules (binary or text) to native code that runs inside this JVM.
 *
 * <pre>
 *   Isthmus engine = Isthmus.create();
 *   CompiledModule m = engine.compile(bytes);              // .wasm or .wat
 *   Instance inst = m.instantiate(Imports.builder()...build());
 *   int sum = (int) inst.function("add").invokeExact(1, 2);
 * </pre>
 *
 * <p>Thread safety: an engine is immutable and thread-safe: any number of threads may compile with one engine at
 * once, and the modules it compiles may be used from any thread. Its {@link Builder} is not thread-safe.
 */
public final class Isthmus {
    /** The default size limit of a code cache ({@link Builder#codeCache(Path)}): 1 GiB of code files. */
    public static final long DEFAULT_CODE_CACHE_BYTES = CodeCache.DEFAULT_MAX_BYTES;

    private final BoundsChecks boundsChecks;
    private final CompilerOptions options;
    private final CodeGenerator codeGenerator;
    private final long callTimeoutNanos;
    private final boolean threadInterrupts;
    private final EngineLimits limits;
    private final long initialFuel;
    private final FuelHandler fuelHandler;
    private final int tierUpBudget;
    /** Whether the engine compiles with Isthmus's compiler (then its modules can be written as code files). */
    private final boolean ownCompiler;
    private final WasmVersion wasmVersion;
    /** The automatic code cache, or null. */
    private final CodeCache cache;

    private Isthmus(Builder builder) {
        this.cache = builder.cacheDirectory == null || builder.codeGenerator != null ? null
                : new CodeCache(builder.cacheDirectory, builder.cacheMaxBytes, builder.cacheWarnings);
        this.ownCompiler = builder.codeGenerator == null;
        this.wasmVersion = builder.wasmVersion;
        this.limits = builder.limits == ResourceLimits.NONE && builder.limiter == null ? EngineLimits.NONE
                : new EngineLimits(builder.limits, builder.limiter);
        this.boundsChecks = builder.boundsChecks;
        this.options = builder.options.withBoundsChecks(boundsChecks);
        this.codeGenerator = builder.codeGenerator != null ? builder.codeGenerator : IsthmusCompiler::generate;
        this.callTimeoutNanos = builder.callTimeoutNanos;
        this.threadInterrupts = builder.threadInterrupts;
        this.initialFuel = builder.initialFuel;
        this.fuelHandler = builder.fuelHandler;
        this.tierUpBudget = builder.tierUpBudget;
    }

    /** An engine with the defaults (guard-page memories, Isthmus's compiler). */
    public static Isthmus create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public BoundsChecks boundsChecks() {
        return boundsChecks;
    }

    /** The resource limits of this engine's instances ({@link ResourceLimits#NONE} unless set). */
    public ResourceLimits limits() {
        return limits.limits;
    }

    /**
     * How many instances of modules this engine compiled are alive now (not yet freed: not closed, or closed with a
     * call still running, or not yet reclaimed by the Cleaner); counted only when the engine has limits or a
     * limiter, else always 0.
     */
    public int liveInstances() {
        return limits.liveInstances();
    }

    /** The compiler settings this engine compiles with. */
    public CompilerOptions compilerOptions() {
        return options;
    }

    /**
     * Decodes (text is parsed first, keeping its {@code $names} as a name section for backtraces), validates and
     * compiles a module.
     *
     * @throws MalformedModuleException when it cannot be decoded or parsed, or is neither format (bytes that do not
     *     start with {@code \0asm} and are not text, or text whose first token is not {@code (}: the message says
     *     what was found)
     * @throws InvalidModuleException when it does not validate
     * @throws UnsupportedFeatureException when it uses something Isthmus does not compile yet, or (under the 3.0
     *     rules) a proposal it does not implement: GC's types and instructions
     */
    public CompiledModule compile(byte[] bytes) {
        if (cache == null) return compileUncached(bytes);
        String key = cache.key(bytes, cacheContext());
        if (key == null) return compileUncached(bytes);
        byte[] file = cache.lookup(key);
        if (file != null) {
            try {
                return deserialize(file);
            } catch (CodeFileRejectedException e) {
                cache.discard(key, e.getMessage());
            }
        }
        CompiledModule compiled = compileUncached(bytes);
        if (options.compilation().lazy()) return compiled;    // a code file holds eager code: nothing to store
        byte[] written;
        try {
            written = compiled.serialize();
        } catch (CodeFileRejectedException e) {
            cache.unstorable(e.getMessage());
            return compiled;
        }
        cache.store(key, written);
        return compiled;
    }

    /**
     * What a cached compilation depends on besides the module and the build: the compiler options (with the wasm
     * stack geometry, as a code file's key), the CPU features the code may use and the wasm version validated for.
     */
    private String cacheContext() {
        return CodeFile.optionsKey(options) + " cpu=" + ModuleCompiler.cpuFeatures(options).extensions()
                + " wasm=" + wasmVersion;
    }

    private CompiledModule compileUncached(byte[] bytes) {
        WasmModule module;
        byte[] binary;
        try {
            if (CodeFile.isCodeFile(bytes)) {
                throw new DecodeException("an Isthmus code file, not a module: load it with Isthmus.deserialize",
                        null, 0, -1);
            }
            String notAModule = Wat.notAModule(bytes);
            if (notAModule != null) throw new DecodeException(notAModule, null, -1, -1);
            binary = isBinary(bytes) ? bytes.clone() : Wat.toBinary(new String(bytes, StandardCharsets.UTF_8), true);
            module = ModuleDecoder.decode(binary, wasmVersion);
            Validator.validate(module, wasmVersion);
        } catch (UnsupportedProposalException e) {
            throw Failures.unsupported(e);
        } catch (ModuleRejection e) {
            throw Failures.rejected(e);
        }
        return compile(module, binary);
    }

    /**
     * Compiles a module that is already decoded and validated.
     *
     * @throws UnsupportedFeatureException when it uses something Isthmus does not compile yet
     */
    public CompiledModule compile(WasmModule module) {
        return compile(module, null);
    }

    /** {@code binary}: the module's binary format (kept for {@link CompiledModule#serialize()}), or null. */
    private CompiledModule compile(WasmModule module, byte[] binary) {
        try {
            ModuleCode code;
            java.util.function.Supplier<ModuleImage> image = null;
            if (ownCompiler && options.compilation().lazy()) {
                code = IsthmusCompiler.lazy(module, options, tierUpBudget);
                if (binary != null) {
                    image = new Memo<>(() -> ModuleImage.compiled(module, binary,
                            ModuleCompiler.compile(module, options), options));
                }
            } else if (ownCompiler) {
                MachineCode machineCode = ModuleCompiler.compile(module, options);
                code = IsthmusCompiler.load(module, machineCode);
                if (binary != null) {
                    ModuleImage compiled = ModuleImage.compiled(module, binary, machineCode, options);
                    image = () -> compiled;
                }
            } else {
                code = codeGenerator.generate(module, options);
            }
            return made(module, code, image);
        } catch (UnimplementedFeatureException e) {
            throw Failures.unsupported(e);
        }
    }

    /** A value made on first use, once. */
    private static final class Memo<T> implements java.util.function.Supplier<T> {
        private java.util.function.Supplier<T> source;
        private T value;

        Memo(java.util.function.Supplier<T> source) {
            this.source = source;
        }

        @Override
        public synchronized T get() {
            if (source != null) {
                value = source.get();
                source = null;
            }
            return value;
        }
    }

    private CompiledModule made(WasmModule module, ModuleCode code, java.util.function.Supplier<ModuleImage> image) {
        CompiledModule compiled = new CompiledModule(module, code, boundsChecks, callTimeoutNanos, threadInterrupts,
                limits, image);
        if (options.fuel()) compiled.meterFuel(initialFuel, fuelHandler);
        return compiled;
    }

    /** Reads and compiles a {@code .wasm} or {@code .wat} file. */
    public CompiledModule compile(Path file) throws IOException {
        return compile(Files.readAllBytes(file));
    }

    /**
     * Loads a module from a code file written by {@link CompiledModule#serialize()} (wasmtime's
     * {@code Module::deserialize}): its machine code is mapped as it is, no function is compiled. The file must
     * come from this very build of Isthmus, with this engine's compiler options (tier, bounds checks, stack check,
     * frame pointer, alignment, AVX, fuel; and the same wasm stack size), for a CPU that has every feature the code
     * uses; and it must be intact (its CRC32C checksum is verified before anything in it is used). Every part of
     * the file but the machine code is checked as untrusted input; the machine code cannot be checked: <b>load only
     * code files you trust as you would trust a native library</b> (docs/embedding.md, "Code files").
     *
     * <p>The module inside is decoded again but not validated again: it validated when it was compiled, and the
     * checksum shows it is the same.
     *
     * @throws CodeFileRejectedException when the bytes are not a code file, are damaged, or were made by another
     *         build, with other options or for a CPU with features this one lacks ({@link
     *         CodeFileRejectedException#kind()} says which)
     */
    public CompiledModule deserialize(byte[] bytes) {
        CodeFile.Loaded loaded;
        try {
            loaded = CodeFile.read(bytes, options, ModuleCompiler.cpuFeatures(options));
        } catch (CodeFileException e) {
            throw new CodeFileRejectedException(e);
        }
        ModuleImage image = loaded.image();
        return made(loaded.module(), IsthmusCompiler.load(loaded.module(), loaded.machineCode()), () -> image);
    }

    /** Reads a code file and loads it ({@link #deserialize(byte[])}). */
    public CompiledModule deserialize(Path file) throws IOException {
        return deserialize(Files.readAllBytes(file));
    }

    /**
     * Whether {@code bytes} look like a code file (they start with its magic, {@code \0isthmus}) rather than a
     * wasm binary or text: what {@code isthmus run} looks at (wasmtime's {@code Engine::detect_precompiled}).
     */
    public static boolean isCodeFile(byte[] bytes) {
        return CodeFile.isCodeFile(bytes);
    }

    private static boolean isBinary(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm';
    }

    /** Engine settings. */
    public static final class Builder {
        private BoundsChecks boundsChecks = BoundsChecks.GUARD_PAGES;
        private CompilerOptions options = CompilerOptions.DEFAULT;
        private long initialFuel;
        private FuelHandler fuelHandler;
        private int tierUpBudget = LazyCode.DEFAULT_TIER_UP_BUDGET;
        private CodeGenerator codeGenerator;
        private long callTimeoutNanos;
        private boolean threadInterrupts = true;
        private boolean perfMap;
        private ResourceLimits limits = ResourceLimits.NONE;
        private ResourceLimiter limiter;
        private WasmVersion wasmVersion = WasmVersion.DEFAULT;
        private Path cacheDirectory;
        private long cacheMaxBytes = CodeCache.DEFAULT_MAX_BYTES;
        private Consumer<String> cacheWarnings = line -> System.err.println("isthmus: warning: " + line);

        private Builder() {
        }

        /**
         * The WebAssembly rules {@link #compile(byte[])} decodes and validates by where 2.0 and 3.0 disagree
         * (default {@link WasmVersion#DEFAULT}, every 3.0 feature Isthmus implements): see {@link WasmVersion}.
         */
        public Builder wasmVersion(WasmVersion version) {
            this.wasmVersion = Objects.requireNonNull(version);
            return this;
        }

        /**
         * Caps on the memory and table sizes of this engine's instances and on how many are alive at once (default
         * {@link ResourceLimits#NONE}): see {@link ResourceLimits}.
         */
        public Builder limits(ResourceLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /**
         * A callback asked before every memory or table of this engine's instances grows, which may refuse the grow
         * or make it trap (default: none); see {@link ResourceLimiter}. Null removes it.
         */
        public Builder limiter(ResourceLimiter limiter) {
            this.limiter = limiter;
            return this;
        }

        /**
         * Whether to list the functions of every module compiled from now on in the process's perf map,
         * {@code /tmp/perf-PID.map} (wasmtime's {@code --profile=perfmap}), so that {@code perf report} names samples
         * in wasm code: the name section's function names, {@code wasm-function[N]} otherwise. The map belongs to the
         * process, so turning it on for one engine lists the modules of every engine (default off; the system property
         * {@code isthmus.perfMap=true} turns it on too). See {@code docs/performance.md}, "Profiling with perf".
         */
        public Builder perfMap(boolean perfMap) {
            this.perfMap = perfMap;
            return this;
        }

        /**
         * Whether {@link Thread#interrupt()} of a thread running a call into an instance interrupts the call (default
         * true; see {@link Instance#interrupt()}): the call then traps with {@link TrapKind#INTERRUPTED} within a
         * few milliseconds. Costs nothing measurable per call (two field writes).
         */
        public Builder threadInterrupts(boolean threadInterrupts) {
            this.threadInterrupts = threadInterrupts;
            return this;
        }

        /**
         * The longest a call from Java into an instance of this engine may run (default: no limit, also for
         * {@link Duration#ZERO}): a call still running after {@code timeout} is interrupted and traps with
         * {@link TrapKind#INTERRUPTED}, within a few milliseconds of the deadline. The deadline is per call from
         * Java (a nested call from a host function has its own, and never outlives the outer one's); the start
         * function, run by {@link CompiledModule#instantiate}, counts as one (instantiation then fails with
         * {@link UninstantiableException} whose trap is {@link TrapKind#INTERRUPTED}). Like every
         * interruption, it interrupts the instance ({@link Instance#interrupt()}): other calls running in the same
         * instance at that moment trap too. Costs one {@link System#nanoTime()} per call when set.
         */
        public Builder callTimeout(Duration timeout) {
            if (timeout.isNegative()) throw new IllegalArgumentException("negative timeout: " + timeout);
            long nanos;
            try {
                nanos = timeout.toNanos();
            } catch (ArithmeticException tooLong) {
                nanos = 0;                                        // beyond 292 years: no limit
            }
            this.callTimeoutNanos = nanos;
            return this;
        }

        public Builder boundsChecks(BoundsChecks boundsChecks) {
            this.boundsChecks = Objects.requireNonNull(boundsChecks);
            return this;
        }

        /** Which compiler translates function bodies (default: optimizing, or {@code -Disthmus.tier}). */
        public Builder tier(Tier tier) {
            options = options.withTier(Objects.requireNonNull(tier));
            return this;
        }

        /**
         * When functions are compiled (default {@link Compilation#EAGER}, or {@code -Disthmus.compilation}):
         * {@link Compilation#LAZY} compiles each function by the {@link #tier} when it is first called;
         * {@link Compilation#TIERED} compiles it by the baseline tier first and again by the optimizing tier, on a
         * background thread, once its calls and loop iterations use up the {@link #tierUpBudget}. Validation stays
         * eager. A code cache ({@link #codeCache}) still loads eager code when it has the module; on a miss a lazy
         * engine compiles lazily and stores nothing.
         */
        public Builder compilation(Compilation compilation) {
            options = options.withCompilation(Objects.requireNonNull(compilation));
            return this;
        }

        /**
         * Under {@link Compilation#TIERED}: how many calls and loop iterations a function runs in baseline code
         * before it is queued for the optimizing tier (default {@value LazyCode#DEFAULT_TIER_UP_BUDGET}).
         */
        public Builder tierUpBudget(int budget) {
            if (budget < 0) throw new IllegalArgumentException("negative tier-up budget " + budget);
            this.tierUpBudget = budget;
            return this;
        }

        /**
         * How function prologues keep recursion within the wasm stack (default: {@link StackCheck#GUARD_PAGE}, or
         * {@code -Disthmus.stackCheck}). Every variant traps "call stack exhausted" safely on every thread.
         */
        public Builder stackCheck(StackCheck stackCheck) {
            options = options.withStackCheck(Objects.requireNonNull(stackCheck));
            return this;
        }

        /**
         * Whether every function keeps the {@code rbp} frame chain (for external profilers such as {@code perf});
         * without it, functions that need no frame have none. Backtraces work either way.
         */
        public Builder framePointer(boolean framePointer) {
            options = options.withFramePointer(framePointer);
            return this;
        }

        /** Where function entries and loop heads fall relative to fetch boundaries. */
        public Builder codeAlignment(CodeAlignment alignment) {
            options = options.withAlignment(Objects.requireNonNull(alignment));
            return this;
        }

        /**
         * Fuel metering (default off; wasmtime's {@code Config::consume_fuel}): the compiled code counts the
         * instructions it runs against a budget per instance, deterministically (the same count with either
         * compiler tier), and a call that runs out traps with {@link TrapKind#OUT_OF_FUEL} unless a
         * {@link FuelHandler} gives more. Most instructions cost 1; {@code nop}, {@code drop}, {@code block},
         * {@code loop}, {@code unreachable}, {@code return}, {@code else} and {@code end} cost 0. The fuel is the
         * instance's: a call into a function of another instance consumes that instance's fuel. Each instance
         * starts with {@link #initialFuel} (default 0: nothing runs until {@link Instance#setFuel}); its start
         * function runs on that. Costs run time when on (docs/performance.md, "Fuel cost"); off, the code is exactly
         * the code without it.
         */
        public Builder consumeFuel(boolean consumeFuel) {
            options = options.withFuel(consumeFuel);
            return this;
        }

        /** The fuel every new instance starts with when fuel is on ({@link #consumeFuel}); default 0. */
        public Builder initialFuel(long fuel) {
            if (fuel < 0) throw new IllegalArgumentException("negative fuel: " + fuel);
            this.initialFuel = fuel;
            return this;
        }

        /**
         * The handler every new instance starts with when fuel is on (default none: running out traps); an
         * instance can replace it ({@link Instance#setFuelHandler}).
         */
        public Builder fuelHandler(FuelHandler handler) {
            this.fuelHandler = handler;
            return this;
        }

        /** All compiler settings at once (bounds checks still come from {@link #boundsChecks}). */
        public Builder compilerOptions(CompilerOptions options) {
            this.options = Objects.requireNonNull(options);
            return this;
        }

        /** Replaces the compiler (tests; not API: {@link CodeGenerator} returns runtime internals). */
        Builder codeGenerator(CodeGenerator codeGenerator) {
            this.codeGenerator = Objects.requireNonNull(codeGenerator);
            return this;
        }

        /**
         * Keeps every module this engine compiles from bytes ({@link #compile(byte[])}, {@link #compile(Path)}) as a
         * code file in {@code directory} (created when missing), and loads it from there instead of compiling when
         * the same bytes are compiled again with the same build, options, CPU features and wasm version (the key is
         * their SHA-256). Writes are atomic (several processes may share the directory), the directory is kept
         * under 1 GiB by deleting the least recently used files, and a cache that cannot be read or written (read-only,
         * full) is skipped with one warning line on standard error per kind of failure. A cached file is trusted like
         * a native library, as {@link #deserialize(byte[])} explains. Off by default; {@code isthmus run} turns it
         * on (docs/embedding.md, "Code cache").
         */
        public Builder codeCache(Path directory) {
            return codeCache(directory, CodeCache.DEFAULT_MAX_BYTES, cacheWarnings);
        }

        /**
         * As {@link #codeCache(Path)} keeping at most {@code maxBytes} of code files, reporting failures to
         * {@code warnings} (one line per kind of failure, the first time) instead of standard error.
         */
        public Builder codeCache(Path directory, long maxBytes, Consumer<String> warnings) {
            if (maxBytes <= 0) throw new IllegalArgumentException("cache size limit " + maxBytes);
            this.cacheDirectory = Objects.requireNonNull(directory);
            this.cacheMaxBytes = maxBytes;
            this.cacheWarnings = Objects.requireNonNull(warnings);
            return this;
        }

        public Isthmus build() {
            if (perfMap) PerfMap.enable();
            return new Isthmus(this);
        }
    }
}
