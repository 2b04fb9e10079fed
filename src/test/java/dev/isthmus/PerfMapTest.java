package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.abi.FuncRefLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The perf map ({@code Isthmus.Builder.perfMap}, issue #15): a child JVM (the map is the process's, and on for good
 * once on) compiles a module with the map on (eagerly, or lazily: then each function is listed when first called) and prints where its functions' code starts, read from their func refs;
 * the map must hold one line per function at exactly that address, named from the name section or
 * {@code wasm-function[N]}, with sizes that do not overlap.
 */
class PerfMapTest {
    private static final String WAT = """
            (module
              (func $named (export "named") (result i32) (i32.const 1))
              (func (export "anonymous") (result i32) (i32.add (i32.const 1) (i32.const 2)))
              (func $third (export "third") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (elem declare func $named 1 $third)
              (func (export "refs") (result funcref funcref funcref)
                (ref.func $named) (ref.func 1) (ref.func $third)))
            """;

    /** The child: compiles with the perf map on, prints "pid P" and "code INDEX ADDRESS" for functions 0-2. */
    public static final class Child {
        public static void main(String[] args) {
            dev.isthmus.options.Compilation mode = dev.isthmus.options.Compilation.valueOf(args[0]);
            Instance instance = Isthmus.builder().perfMap(true).compilation(mode).build()
                    .compile(WAT.getBytes(StandardCharsets.UTF_8)).instantiate();
            if (mode.lazy()) {                       // compiled on their first calls: listed as they are compiled
                instance.call("named");
                instance.call("anonymous");
                instance.call("third", 3);
            }
            Object[] refs = instance.call("refs");
            System.out.println("pid " + ProcessHandle.current().pid());
            for (int i = 0; i < refs.length; i++) {
                long funcRef = ((FunctionRef) refs[i]).address();
                long code = MemorySegment.ofAddress(funcRef).reinterpret(FuncRefLayout.SIZE)
                        .get(ValueLayout.JAVA_LONG, FuncRefLayout.CODE);
                System.out.println("code " + i + " " + Long.toHexString(code));
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"EAGER", "LAZY", "TIERED"})
    void everyFunctionIsListedAtItsCodeAddress(String mode) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), mode).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, child.exitValue(), output);
        long pid = -1;
        Map<Integer, Long> code = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] words = line.trim().split(" ");
            if (words[0].equals("pid")) pid = Long.parseLong(words[1]);
            if (words[0].equals("code")) code.put(Integer.parseInt(words[1]), Long.parseUnsignedLong(words[2], 16));
        }
        Path map = Path.of("/tmp", "perf-" + pid + ".map");
        try {
            List<long[]> ranges = new ArrayList<>();
            Map<Long, String> names = new HashMap<>();
            for (String line : Files.readAllLines(map)) {
                String[] words = line.split(" ", 3);
                long start = Long.parseUnsignedLong(words[0], 16);
                long size = Long.parseUnsignedLong(words[1], 16);
                assertTrue(size > 0, line);
                ranges.add(new long[] {start, start + size});
                names.put(start, words[2]);
            }
            assertEquals(4, ranges.size(), "one line per function: " + names);
            assertEquals("named", names.get(code.get(0)));
            assertEquals("wasm-function[1]", names.get(code.get(1)));
            assertEquals("third", names.get(code.get(2)));
            ranges.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 1; i < ranges.size(); i++) {
                assertTrue(ranges.get(i - 1)[1] <= ranges.get(i)[0], "ranges overlap: " + names);
            }
        } finally {
            Files.deleteIfExists(map);
        }
    }
}
