package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.Caller;
import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.WasmTrap;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One instance called from 8 threads at once (platform, then virtual): each thread works in its own memory region,
 * through an export that does arithmetic on memory and one that calls a host function which uses the Caller. Every
 * result must be exact, every trap must stay on the thread that caused it.
 */
class ConcurrentCallsTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 3000;

    private static final String MODULE = """
            (module
              (import "env" "mix" (func $mix (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              ;; zeroes the thread's 1 KiB region, adds 0..n-1 into its 256 words in turn, returns the words' sum
              (func (export "work") (param $tid i32) (param $n i32) (result i32)
                (local $base i32) (local $i i32) (local $sum i32) (local $addr i32)
                local.get $tid i32.const 1024 i32.mul local.set $base
                local.get $base i32.const 0 i32.const 1024 memory.fill
                block $done loop $add
                  local.get $i local.get $n i32.ge_u br_if $done
                  local.get $base local.get $i i32.const 255 i32.and i32.const 4 i32.mul i32.add local.tee $addr
                  local.get $addr i32.load local.get $i i32.add i32.store
                  local.get $i i32.const 1 i32.add local.set $i
                  br $add
                end end
                i32.const 0 local.set $i
                block $done2 loop $sum
                  local.get $i i32.const 256 i32.ge_u br_if $done2
                  local.get $sum local.get $base local.get $i i32.const 4 i32.mul i32.add i32.load i32.add
                  local.set $sum
                  local.get $i i32.const 1 i32.add local.set $i
                  br $sum
                end end
                local.get $sum)
              ;; the host writes 3x into the thread's region and returns tid*1000 + x: the result is tid*1000 + 4x
              (func (export "viaHost") (param $tid i32) (param $x i32) (result i32)
                local.get $tid local.get $x call $mix
                local.get $tid i32.const 1024 i32.mul i32.load offset=1020
                i32.add)
              ;; traps when x is odd
              (func (export "maybeTrap") (param $x i32) (result i32)
                local.get $x i32.const 1 i32.and if unreachable end local.get $x))
            """;

    private static final AtomicInteger HOST_CALLS = new AtomicInteger();

    static int mix(Caller caller, int tid, int x) {
        HOST_CALLS.incrementAndGet();
        caller.memory().writeInt(tid * 1024L + 1020, 3 * x);
        return tid * caller.data(Integer.class) + x;                  // the user data is 1000
    }

    private static Instance instance() throws ReflectiveOperationException {
        CompiledModule module = Isthmus.create().compile(MODULE.getBytes(StandardCharsets.UTF_8));
        MethodHandle mix = MethodHandles.lookup().findStatic(ConcurrentCallsTest.class, "mix",
                MethodType.methodType(int.class, Caller.class, int.class, int.class));
        return module.instantiate(Imports.builder().function("env", "mix", mix).build(), 1000);
    }

    /** Runs {@code body(tid)} on THREADS threads of {@code factory} started together; collects their failures. */
    private static void runTogether(Thread.Builder factory, int firstTid, ThrowingIntConsumer body)
            throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int tid = firstTid + t;
            threads.add(factory.start(() -> {
                try {
                    start.await();
                    body.accept(tid);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) thread.join();
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " threads failed");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    @FunctionalInterface
    interface ThrowingIntConsumer {
        void accept(int tid) throws Throwable;
    }

    private static void callsOfOneThread(Instance instance, int tid) throws Throwable {
        MethodHandle work = instance.function("work");
        MethodHandle viaHost = instance.function("viaHost");
        MethodHandle maybeTrap = instance.function("maybeTrap");
        for (int round = 0; round < ROUNDS; round++) {
            int n = 500 + (round * 7 + tid) % 300;
            assertEquals(n * (n - 1) / 2, (int) work.invokeExact(tid, n), "work of thread " + tid);
            int x = round * 13 + tid;
            assertEquals(tid * 1000 + 4 * x, (int) viaHost.invokeExact(tid, x), "viaHost of thread " + tid);
            if (round % 50 == 0) {
                int odd = 2 * round + 1;
                try {
                    int unexpected = (int) maybeTrap.invokeExact(odd);
                    throw new AssertionError("no trap: " + unexpected);
                } catch (WasmTrap expected) {
                    assertEquals("unreachable", expected.getMessage());
                }
                assertEquals(2 * round, (int) maybeTrap.invokeExact(2 * round));
            }
            if (round % 100 == 0) {                                       // the Object[] form too
                assertEquals(tid * 1000 + 4 * (x + 1), instance.call("viaHost", tid, x + 1)[0]);
            }
        }
    }

    @Test
    void oneInstanceCalledFromEightPlatformThreads() throws Throwable {
        try (Instance instance = instance()) {
            int before = HOST_CALLS.get();
            runTogether(Thread.ofPlatform(), 0, tid -> callsOfOneThread(instance, tid));
            assertEquals(THREADS * (ROUNDS + ROUNDS / 100), HOST_CALLS.get() - before);
        }
    }

    @Test
    void oneInstanceCalledFromEightVirtualThreads() throws Throwable {
        try (Instance instance = instance()) {
            int before = HOST_CALLS.get();
            runTogether(Thread.ofVirtual(), 0, tid -> callsOfOneThread(instance, tid));
            assertEquals(THREADS * (ROUNDS + ROUNDS / 100), HOST_CALLS.get() - before);
        }
    }
}
