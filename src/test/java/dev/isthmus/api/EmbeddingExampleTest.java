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
import dev.isthmus.WasmTrap;
import java.io.IOException;
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

    @Test
    void theDocQuotesThisExampleExactly() throws IOException {
        DocExamples.assertQuoted(Path.of("docs/embedding.md"), Path.of("src/test/java/dev/isthmus/api/EmbeddingExampleTest.java"),
                "plugin-host");
    }
}
