package dev.isthmus.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Caller;
import dev.isthmus.CompiledModule;
import dev.isthmus.HostException;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Memory;
import dev.isthmus.V128;
import dev.isthmus.WasmTrap;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The plugin host of {@code docs/embedding.md}, run. The code between the {@code tag::plugin-host[]} markers is the
 * doc's example: {@link #theDocQuotesThisExampleExactly} fails when the two differ.
 */
class EmbeddingExampleTest {
    // tag::plugin-host[]
    /** What a plugin sees of one request: its path, and a log its host functions append to. */
    record Request(String path, List<String> log) {}

    /** The plugin: exports its memory and handle() -> address of a NUL-terminated response. */
    static final String PLUGIN = """
            (module
              (import "env" "log" (func $log (param i32 i32)))
              (import "env" "path" (func $path (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 0) "handling request")
              (data (i32.const 32) "hello ")
              (func (export "handle") (result i32) (local $len i32)
                (call $log (i32.const 0) (i32.const 16))
                (local.set $len (call $path (i32.const 38) (i32.const 64)))
                ;; a bug in the plugin: paths starting with "/c" trap
                (if (i32.eq (i32.load8_u (i32.const 39)) (i32.const 99)) (then unreachable))
                (i32.store8 (i32.add (i32.const 38) (local.get $len)) (i32.const 0))
                (i32.const 32)))
            """;

    static final class PluginHost {
        private final CompiledModule plugin;
        private final Imports imports;

        PluginHost(String wasm) throws ReflectiveOperationException {
            plugin = Isthmus.create().compile(wasm.getBytes(UTF_8));         // compile once (.wasm or .wat)
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            imports = Imports.builder()                                      // typed host functions, checked here
                    .function("env", "log", lookup.findStatic(PluginHost.class, "log",
                            MethodType.methodType(void.class, Caller.class, int.class, int.class)))
                    .function("env", "path", lookup.findStatic(PluginHost.class, "path",
                            MethodType.methodType(int.class, Caller.class, int.class, int.class)))
                    .build();
        }

        /** env.log(ptr, len): a UTF-8 string in the plugin's memory, added to the request's log. */
        static void log(Caller caller, int ptr, int len) {
            caller.data(Request.class).log().add(caller.memory("memory").readString(ptr, len));
        }

        /** env.path(buf, cap) -> len: copies the request's path into the plugin's buffer. */
        static int path(Caller caller, int buf, int cap) throws IOException {
            byte[] path = caller.data(Request.class).path().getBytes(UTF_8);
            if (path.length > cap) throw new IOException("path longer than " + cap + " bytes");
            caller.memory().write(buf, path);
            return path.length;
        }

        /** One request: a fresh instance with the request as user data, closed when done. */
        String handle(Request request) {
            try (Instance instance = plugin.instantiate(imports, request)) {
                int response = (int) instance.call("handle")[0];
                return instance.memory("memory").readCString(response);
            } catch (WasmTrap trap) {                                        // the plugin's own failure
                return "plugin trapped: " + trap.getMessage() + " in " + trap.backtrace().getFirst();
            } catch (HostException e) {                                      // a host function's checked exception
                return "host function failed: " + e.getCause().getMessage() + ", called from "
                        + e.backtrace().getFirst();
            }
        }
    }
    // end::plugin-host[]

    @Test
    void thePluginHostServesRequests() throws ReflectiveOperationException {
        PluginHost host = new PluginHost(PLUGIN);
        List<String> log = new ArrayList<>();
        assertEquals("hello /world", host.handle(new Request("/world", log)));
        assertEquals(List.of("handling request"), log);
        String trapped = host.handle(new Request("/crash", new ArrayList<>()));
        assertTrue(trapped.startsWith("plugin trapped: unreachable in 2: $handle @ 0x"), trapped);
        String tooLong = host.handle(new Request("/" + "x".repeat(80), new ArrayList<>()));
        assertTrue(tooLong.startsWith("host function failed: path longer than 64 bytes, called from 2: "), tooLong);
    }

    @Test
    void oneCompiledPluginServesConcurrentRequests() throws Exception {
        PluginHost host = new PluginHost(PLUGIN);
        List<String> responses = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String path = "/r" + i;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int k = 0; k < 50; k++) responses.add(host.handle(new Request(path, new ArrayList<>())));
            }));
        }
        for (Thread thread : threads) thread.join();
        assertEquals(400, responses.size());
        for (int i = 0; i < 8; i++) {
            String expected = "hello /r" + i;
            assertEquals(50, responses.stream().filter(expected::equals).count(), expected);
        }
    }

    // tag::v128[]
    /** Vectors of four f32 in memory; the host scales one, a global keeps an offset to add. */
    static final String VECTORS = """
            (module
              (import "env" "scale" (func $scale (param v128 f32) (result v128)))
              (memory (export "memory") 1)
              (global (export "offset") (mut v128) (v128.const f32x4 0 0 0 0))
              (func (export "load") (param $at i32) (result v128) (v128.load (local.get $at)))
              (func (export "scaled") (param $at i32) (param $k f32) (result v128)
                (call $scale (v128.load (local.get $at)) (local.get $k)))
              (func (export "lane") (param $v v128) (result f32) (f32x4.extract_lane 3 (local.get $v))))
            """;

    /** env.scale(v, k): a host function taking and returning a v128. */
    static V128 scale(V128 v, float k) {
        float[] lanes = v.toFloats();                                   // lane 0 first
        for (int i = 0; i < lanes.length; i++) lanes[i] *= k;
        return V128.ofFloats(lanes);
    }

    static List<Object> vectors() throws Throwable {
        Imports imports = Imports.builder()
                .function("env", "scale", MethodHandles.lookup().findStatic(EmbeddingExampleTest.class, "scale",
                        MethodType.methodType(V128.class, V128.class, float.class)))   // v128 is V128
                .build();
        try (Instance instance = Isthmus.create().compile(VECTORS.getBytes(UTF_8)).instantiate(imports)) {
            Memory memory = instance.memory("memory");
            for (int i = 0; i < 4; i++) memory.writeFloat(16 + 4 * i, i + 0.5f);
            MethodHandle load = instance.function("load");               // exact type (int)V128
            V128 loaded = (V128) load.invokeExact(16);
            V128 scaled = (V128) instance.call("scaled", 16, 2f)[0];    // Object[] results hold V128s
            float last = (float) instance.function("lane").invokeExact(V128.ofFloats(1f, 2f, 3f, 4f));
            instance.global("offset").set(V128.ofInts(1, 2, 3, 4));    // v128 globals hold V128s
            return List.of(loaded, scaled, last, instance.global("offset").get());
        }
    }
    // end::v128[]

    @Test
    void theV128ExampleRuns() throws Throwable {
        assertEquals(List.of(V128.ofFloats(0.5f, 1.5f, 2.5f, 3.5f), V128.ofFloats(1f, 3f, 5f, 7f), 4f,
                V128.ofInts(1, 2, 3, 4)), vectors());
        assertEquals("i32x4 1 2 3 4", V128.ofInts(1, 2, 3, 4).toString());
    }

    @Test
    void theDocQuotesThisExampleExactly() throws IOException {
        DocExamples.assertQuoted(Path.of("docs/embedding.md"), Path.of("src/test/java/dev/isthmus/api/EmbeddingExampleTest.java"),
                "plugin-host");
        DocExamples.assertQuoted(Path.of("docs/embedding.md"), Path.of("src/test/java/dev/isthmus/api/EmbeddingExampleTest.java"),
                "v128");
    }
}
