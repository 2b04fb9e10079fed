package dev.isthmus.fuzz;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.compiler.ModuleCompiler;
import dev.isthmus.fuzz.ModuleDoubler.Doubling;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.validate.Validator;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The resource property of issue #16: compile time and memory stay proportional to module size. For a module M and
 * each {@link Doubling} M2 of it ({@link ModuleDoubler}: every body twice in sequence, the nesting depth doubled,
 * every function twice), decode, validate and compile M and M2 eagerly at each tier (in this process, never running
 * them) and compare what the compiling thread allocated (bytes, {@code com.sun.management.ThreadMXBean}) and its
 * CPU time. A linear compiler gives about 2× (less, with the fixed costs of a module); a quadratic step about 4×.
 * A ratio above {@link #MAX_ALLOCATION_RATIO} or {@link #MAX_TIME_RATIO} is a finding, reported with both numbers.
 *
 * <p>Noise: every measurement is the minimum over rounds (M, then M2; the first round of a module, the JIT and the
 * caches cold, is rarely the minimum); a set of {@link #ROUNDS} rounds whose ratios are over the limits is measured
 * again, up to {@link #SETS} sets, keeping the minima (a loaded machine slows a whole set; a quadratic step stays
 * over in every one). Costs below a floor count as the floor: {@link #TIME_FLOOR_NANOS} of CPU time and
 * {@link #ALLOCATION_FLOOR_BYTES} (sub-millisecond compiles are not judged on time; a tiny module's fixed costs
 * are not judged at all).
 *
 * <pre>
 *   java ... dev.isthmus.fuzz.ResourceCheck DIR...   every .wasm of each directory: one line per module and
 *                                                   doubling/tier over the limits, then the worst ratios per
 *                                                   directory; exit status 1 when any finding
 *   java ... dev.isthmus.fuzz.ResourceCheck --chain STEPS DOUBLING TIER FILE.wasm
 *                                                   doubles the module STEPS times over and prints each step's
 *                                                   size and cost (best of 4): a growth that only shows at larger
 *                                                   sizes
 * </pre>
 */
public final class ResourceCheck {
    static final double MAX_ALLOCATION_RATIO = 3.0;
    static final double MAX_TIME_RATIO = 4.0;
    static final long TIME_FLOOR_NANOS = 2_000_000;
    static final long ALLOCATION_FLOOR_BYTES = 256 * 1024;
    static final int ROUNDS = 2;
    static final int SETS = 3;

    /** What compiling one module cost the compiling thread. */
    record Cost(long allocatedBytes, long cpuNanos) {
        Cost min(Cost other) {
            return other == null ? this
                    : new Cost(Math.min(allocatedBytes, other.allocatedBytes), Math.min(cpuNanos, other.cpuNanos));
        }
    }

    /** Decodes, validates and compiles a module at a tier, and returns what that cost (the real one: {@link #REAL}). */
    @FunctionalInterface
    interface Compiler {
        Cost compile(byte[] wasm, Tier tier);
    }

    /** The ratio M2/M for one doubling and tier, with both costs. */
    record Ratio(Doubling doubling, Tier tier, Cost small, Cost large, int smallBytes, int largeBytes) {
        double allocation() {
            return (double) Math.max(large.allocatedBytes, ALLOCATION_FLOOR_BYTES)
                    / Math.max(small.allocatedBytes, ALLOCATION_FLOOR_BYTES);
        }

        double time() {
            return (double) Math.max(large.cpuNanos, TIME_FLOOR_NANOS) / Math.max(small.cpuNanos, TIME_FLOOR_NANOS);
        }

        boolean superlinear() {
            return allocation() > MAX_ALLOCATION_RATIO || time() > MAX_TIME_RATIO;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s (%d -> %d bytes of wasm): allocation x%.2f (%d KiB -> %d KiB,"
                            + " limit x%.1f), CPU time x%.2f (%.2f ms -> %.2f ms, floor %.0f ms, limit x%.1f)",
                    doubling, tier.name().toLowerCase(Locale.ROOT), smallBytes, largeBytes, allocation(),
                    small.allocatedBytes / 1024, large.allocatedBytes / 1024, MAX_ALLOCATION_RATIO, time(),
                    small.cpuNanos / 1e6, large.cpuNanos / 1e6, TIME_FLOOR_NANOS / 1e6, MAX_TIME_RATIO);
        }
    }

    /** Every ratio measured for one module; {@link #findings()} those over the limits. */
    record Result(List<Ratio> ratios) {
        List<Ratio> findings() {
            return ratios.stream().filter(Ratio::superlinear).toList();
        }

        /** The findings as problem lines (empty when none). */
        List<String> problems() {
            return findings().stream().map(r -> "superlinear compile: " + r).toList();
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes}, reached reflectively. */
    private static final Method ALLOCATED_BYTES;

    static {
        try {
            ALLOCATED_BYTES = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Bytes this thread has allocated so far (also for {@code compiler.CompileScalingTest}). */
    public static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invoke(THREADS);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CPU nanoseconds this thread has used so far. */
    public static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** The project's front end and compiler: decode, validate, compile eagerly at {@code tier} (default options). */
    static final Compiler REAL = (wasm, tier) -> {
        long allocated = allocatedBytes();
        long cpu = cpuNanos();
        WasmModule module = ModuleDecoder.decode(wasm);
        Validator.validate(module);
        ModuleCompiler.compile(module, CompilerOptions.DEFAULT.withTier(tier));
        return new Cost(allocatedBytes() - allocated, cpuNanos() - cpu);
    };

    private final Compiler compiler;
    private final List<Doubling> doublings;
    private final List<Tier> tiers;

    ResourceCheck() {
        this(REAL, List.of(Doubling.values()), List.of(Tier.BASELINE, Tier.OPTIMIZING));
    }

    ResourceCheck(Compiler compiler, List<Doubling> doublings, List<Tier> tiers) {
        this.compiler = compiler;
        this.doublings = List.copyOf(doublings);
        this.tiers = List.copyOf(tiers);
    }

    /**
     * Every ratio for {@code wasm} (a valid module). A doubled module that does not validate is an
     * IllegalStateException (a bug of {@link ModuleDoubler} or of the validator: either way, a finding).
     */
    Result check(byte[] wasm) {
        List<Ratio> ratios = new ArrayList<>();
        for (Doubling doubling : doublings) {
            byte[] doubled = ModuleDoubler.doubled(wasm, doubling);
            try {
                Validator.validate(ModuleDecoder.decode(doubled));
            } catch (RuntimeException e) {
                throw new IllegalStateException(doubling + " doubling made an invalid module: " + e.getMessage(), e);
            }
            for (Tier tier : tiers) ratios.add(measure(wasm, doubled, doubling, tier));
        }
        return new Result(List.copyOf(ratios));
    }

    private Ratio measure(byte[] small, byte[] large, Doubling doubling, Tier tier) {
        Cost bestSmall = null, bestLarge = null;
        Ratio ratio = null;
        for (int set = 0; set < SETS; set++) {
            for (int round = 0; round < ROUNDS; round++) {
                bestSmall = compiler.compile(small, tier).min(bestSmall);
                bestLarge = compiler.compile(large, tier).min(bestLarge);
            }
            ratio = new Ratio(doubling, tier, bestSmall, bestLarge, small.length, large.length);
            if (!ratio.superlinear()) break;
        }
        return ratio;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 5 && args[0].equals("--chain")) {
            chain(Integer.parseInt(args[1]), Doubling.valueOf(args[2]), Tier.valueOf(args[3]),
                    Files.readAllBytes(Path.of(args[4])));
            return;
        }
        if (args.length == 0) {
            System.err.println("usage: ResourceCheck DIR... | --chain STEPS DOUBLING TIER FILE.wasm");
            System.exit(2);
        }
        ResourceCheck check = new ResourceCheck();
        int findings = 0;
        for (String dir : args) {
            List<Path> modules;
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                modules = files.filter(p -> p.getFileName().toString().endsWith(".wasm")).sorted().toList();
            }
            Worst worst = new Worst();
            long started = System.nanoTime();
            for (Path wasm : modules) {
                Result result;
                try {
                    result = check.check(Files.readAllBytes(wasm));
                } catch (RuntimeException e) {
                    System.out.println("ERROR " + wasm + "\t" + e);
                    findings++;
                    continue;
                }
                for (Ratio r : result.ratios()) worst.add(wasm.getFileName().toString(), r);
                for (Ratio r : result.findings()) {
                    System.out.println("RESOURCE " + wasm + "\t" + r);
                    findings++;
                }
            }
            System.out.printf(Locale.ROOT, "%s: %d modules in %.0f s%n", dir, modules.size(),
                    (System.nanoTime() - started) / 1e9);
            worst.print();
        }
        System.out.println(findings + " resource findings");
        System.exit(findings == 0 ? 0 : 1);
    }

    private static void chain(int steps, Doubling doubling, Tier tier, byte[] wasm) {
        Cost previous = null;
        for (int step = 0; step <= steps; step++) {
            Cost best = null;
            for (int round = 0; round < 4; round++) best = REAL.compile(wasm, tier).min(best);
            System.out.printf(Locale.ROOT, "%d: %d bytes of wasm, %d KiB, %.2f ms%s%n", step, wasm.length,
                    best.allocatedBytes / 1024, best.cpuNanos / 1e6, previous == null ? ""
                            : String.format(Locale.ROOT, " (allocation x%.2f, time x%.2f)",
                                    (double) best.allocatedBytes / previous.allocatedBytes,
                                    (double) best.cpuNanos / previous.cpuNanos));
            previous = best;
            if (step < steps) wasm = ModuleDoubler.doubled(wasm, doubling);
        }
    }

    /** The largest allocation and time ratio per doubling and tier, with the module that had it. */
    static final class Worst {
        private final java.util.Map<String, Object[]> allocation = new java.util.TreeMap<>();
        private final java.util.Map<String, Object[]> time = new java.util.TreeMap<>();

        void add(String module, Ratio r) {
            String key = r.doubling() + " " + r.tier().name().toLowerCase(Locale.ROOT);
            allocation.merge(key, new Object[] {r.allocation(), module, r},
                    (a, b) -> (double) a[0] >= (double) b[0] ? a : b);
            time.merge(key, new Object[] {r.time(), module, r}, (a, b) -> (double) a[0] >= (double) b[0] ? a : b);
        }

        void print() {
            for (String key : allocation.keySet()) {
                Object[] a = allocation.get(key), t = time.get(key);
                System.out.printf(Locale.ROOT, "  worst %-20s allocation x%.2f (%s), time x%.2f (%s: %s)%n", key,
                        (double) a[0], a[1], (double) t[0], t[1], t[2]);
            }
        }
    }
}
