package dev.isthmus.bench;

import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a call across the Java/wasm boundary costs, beside a plain Panama downcall in the same run:
 *
 * <ul>
 *   <li>{@code panamaDowncall}: libc's {@code labs} through a downcall handle — the floor of any Java → native call;</li>
 *   <li>{@code panamaCriticalDowncall}: the same through a critical downcall ({@code Linker.Option.critical}: no
 *       thread-state transition) — the floor of the entry Isthmus uses for bounded functions (leaves, call trees);</li>
 *   <li>{@code panamaUpcall}: libc's {@code bsearch} over one element, which calls its comparator, a Java upcall stub,
 *       once — a downcall plus the floor of any native → Java call;</li>
 *   <li>{@code javaToWasm}: an exported {@code (i32, i32) -> i32} add through its exact-typed handle
 *       ({@link Instance#function}, {@code invokeExact}): a bounded leaf, entered directly (arguments in registers)
 *       through a critical downcall;</li>
 *   <li>{@code javaToWasmNonLeaf}: the same add behind a call to another wasm function: a bounded call tree,
 *       entered through a critical downcall too;</li>
 *   <li>{@code javaToWasmLoop}: the same add in a loop that runs once, which takes the ordinary downcall of the same
 *       direct entry (what every function with a loop, a host call or an indirect call takes);</li>
 *   <li>{@code javaToWasmI64F64}: the same with {@code (i64, f64) -> f64};</li>
 *   <li>{@code wasmToJava}: per call of a Java host function {@code (i32) -> i32} (registered from a
 *       {@link MethodHandle}) from a wasm loop of {@value #HOST_CALLS} calls ({@link OperationsPerInvocation}: the
 *       one entry into wasm is amortized over the loop);</li>
 *   <li>{@code wasmToJavaCaller}: the same with a host function that takes the {@link dev.isthmus.Caller}.</li>
 * </ul>
 * Handles are static finals (constants to the JIT), as in an embedder's class that looks them up once. Run with
 * {@code -prof gc} to see the allocation per call ({@code gc.alloc.rate.norm}, B/op):
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar BoundaryBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BoundaryBenchmark {
    static final int HOST_CALLS = 100;

    private static final String WAT = """
            (module
              (import "env" "inc" (func $inc (param i32) (result i32)))
              (import "env" "incCaller" (func $incCaller (param i32) (result i32)))
              (func $add (export "add") (param i32 i32) (result i32)
                (i32.add (local.get 0) (local.get 1)))
              (func (export "addViaCall") (param i32 i32) (result i32)
                (call $add (local.get 0) (local.get 1)))
              (func (export "addInLoop") (param i32 i32) (result i32)
                (local $i i32)
                (loop $l
                  (local.set 0 (i32.add (local.get 0) (local.get 1)))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1))))
                (local.get 0))
              (func (export "mix") (param i64 f64) (result f64)
                (f64.add (f64.convert_i64_s (local.get 0)) (local.get 1)))
              (func (export "callHost") (param i32) (result i32)
                (local $i i32)
                (loop $l
                  (local.set 0 (call $inc (local.get 0)))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const %d))))
                (local.get 0))
              (func (export "callHostCaller") (param i32) (result i32)
                (local $i i32)
                (loop $l
                  (local.set 0 (call $incCaller (local.get 0)))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const %d))))
                (local.get 0)))
            """.formatted(HOST_CALLS, HOST_CALLS);

    private static final MethodHandle LABS = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("labs").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle LABS_CRITICAL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("labs").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.critical(false));
    private static final MethodHandle BSEARCH = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("bsearch").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    /** One int, the key and the array of one element that bsearch compares it with. */
    private static final long KEY = Arena.global().allocate(4).address();
    private static final long COMPARE;
    /** Kept reachable for the handles' sake. */
    private static final Instance INSTANCE;
    private static final MethodHandle ADD;
    private static final MethodHandle ADD_VIA_CALL;
    private static final MethodHandle ADD_IN_LOOP;
    private static final MethodHandle MIX;
    private static final MethodHandle CALL_HOST;
    private static final MethodHandle CALL_HOST_CALLER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COMPARE = Linker.nativeLinker().upcallStub(lookup.findStatic(BoundaryBenchmark.class, "compare",
                            MethodType.methodType(int.class, long.class, long.class)),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                    Arena.global()).address();
            MethodHandle inc = lookup.findStatic(BoundaryBenchmark.class, "inc",
                    MethodType.methodType(int.class, int.class));
            MethodHandle incCaller = lookup.findStatic(BoundaryBenchmark.class, "incCaller",
                    MethodType.methodType(int.class, dev.isthmus.Caller.class, int.class));
            Imports imports = Imports.builder()
                    .function("env", "inc", inc)
                    .function("env", "incCaller", incCaller)
                    .build();
            INSTANCE = Isthmus.create().compile(WAT.getBytes(StandardCharsets.UTF_8)).instantiate(imports);
            ADD = INSTANCE.function("add");
            ADD_VIA_CALL = INSTANCE.function("addViaCall");
            ADD_IN_LOOP = INSTANCE.function("addInLoop");
            MIX = INSTANCE.function("mix");
            CALL_HOST = INSTANCE.function("callHost");
            CALL_HOST_CALLER = INSTANCE.function("callHostCaller");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int compare(long a, long b) {
        return 0;
    }

    private static int inc(int x) {
        return x + 1;
    }

    private static int incCaller(dev.isthmus.Caller caller, int x) {
        return x + 1;
    }

    int x = 7;
    long y = -7;
    double z = 0.5;

    @Benchmark
    public long panamaDowncall() throws Throwable {
        return (long) LABS.invokeExact(y);
    }

    @Benchmark
    public long panamaCriticalDowncall() throws Throwable {
        return (long) LABS_CRITICAL.invokeExact(y);
    }

    @Benchmark
    public long panamaUpcall() throws Throwable {
        return (long) BSEARCH.invokeExact(KEY, KEY, 1L, 4L, COMPARE);
    }

    @Benchmark
    public int javaToWasm() throws Throwable {
        return (int) ADD.invokeExact(x, x);
    }

    @Benchmark
    public int javaToWasmNonLeaf() throws Throwable {
        return (int) ADD_VIA_CALL.invokeExact(x, x);
    }

    @Benchmark
    public int javaToWasmLoop() throws Throwable {
        return (int) ADD_IN_LOOP.invokeExact(x, x);
    }

    @Benchmark
    public double javaToWasmI64F64() throws Throwable {
        return (double) MIX.invokeExact(y, z);
    }

    @Benchmark
    @OperationsPerInvocation(HOST_CALLS)
    public int wasmToJava() throws Throwable {
        return (int) CALL_HOST.invokeExact(x);
    }

    @Benchmark
    @OperationsPerInvocation(HOST_CALLS)
    public int wasmToJavaCaller() throws Throwable {
        return (int) CALL_HOST_CALLER.invokeExact(x);
    }
}
