package dev.isthmus.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the main code, read from the compiled classes with {@code jdeps}: no cycles among
 * {@code dev.isthmus.*} packages, and the layering rules of {@code docs/architecture.md} ("who may import whom").
 */
class PackageDependencyTest {
    private static final String ROOT = "dev.isthmus";
    private static final Map<String, Set<String>> GRAPH = new TreeMap<>();

    @BeforeAll
    static void readDependencies() {
        Path classes = Path.of("target/classes");
        assertTrue(Files.isDirectory(classes), "compile the main code first: " + classes.toAbsolutePath());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                classes.toString());
        assertEquals(0, status, "jdeps failed: " + err);
        Pattern edge = Pattern.compile("^\\s+(" + Pattern.quote(ROOT) + "[\\w.]*)\\s+->\\s+(" + Pattern.quote(ROOT)
                + "[\\w.]*)\\s");
        for (String line : out.toString().split("\n")) {
            Matcher m = edge.matcher(line);
            if (m.find()) {
                GRAPH.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                GRAPH.computeIfAbsent(m.group(2), k -> new TreeSet<>());
                if (!m.group(1).equals(m.group(2))) GRAPH.get(m.group(1)).add(m.group(2));
            }
        }
        assertTrue(GRAPH.size() > 20, "jdeps output not understood:\n" + out);
    }

    @Test
    void noPackageCycles() {
        List<List<String>> cycles = stronglyConnected();
        if (!cycles.isEmpty()) {
            StringBuilder message = new StringBuilder("package cycles:\n");
            for (List<String> cycle : cycles) {
                message.append("  ").append(cycle).append('\n');
                for (String a : cycle) {
                    for (String b : GRAPH.get(a)) {
                        if (cycle.contains(b)) message.append("    ").append(a).append(" -> ").append(b).append('\n');
                    }
                }
            }
            fail(message.toString());
        }
    }

    /**
     * Who may import whom (docs/architecture.md): packages whose name matches {@code from} may depend on no package
     * matching {@code forbidden} (both regular expressions over full package names).
     */
    private record Rule(String why, String from, String forbidden) {}

    private static final String OURS = "dev\\.isthmus(\\.[\\w.]+)?";
    private static final String TOOLS = "dev\\.isthmus\\.(cli|wast|wast\\.engine|explore|demo)";

    private static final List<Rule> RULES = List.of(
            new Rule("the assembler imports nothing of ours", "dev\\.isthmus\\.x64", OURS),
            new Rule("the OS bindings import nothing of ours", "dev\\.isthmus\\.os", OURS),
            new Rule("the option types are a leaf", "dev\\.isthmus\\.options", OURS),
            new Rule("the module model imports nothing else of ours", "dev\\.isthmus\\.model", OURS),
            new Rule("the front end produces the model and reaches nothing below or above it",
                    "dev\\.isthmus\\.(binary|text|text\\.script|validate)",
                    "dev\\.isthmus(\\.(compiler|runtime|x64|os|options|wasi|tooling|cli|wast|explore|demo)(\\.[\\w.]+)?)?"),
            new Rule("the compiler reaches the runtime only through its ABI contract",
                    "dev\\.isthmus\\.compiler(\\.[\\w.]+)?",
                    "dev\\.isthmus(\\.(runtime\\.(?!abi$)[\\w.]+|wasi|tooling|cli|wast|explore|demo)(\\.[\\w.]+)?)?"),
            new Rule("the baseline tier does not know the optimizing tier or the driver",
                    "dev\\.isthmus\\.compiler\\.baseline(\\.[\\w.]+)?",
                    "dev\\.isthmus\\.compiler(\\.optimizing(\\.[\\w.]+)?)?"),
            new Rule("the optimizing tier does not know the baseline tier or the driver",
                    "dev\\.isthmus\\.compiler\\.optimizing(\\.[\\w.]+)?",
                    "dev\\.isthmus\\.compiler(\\.baseline(\\.[\\w.]+)?)?"),
            new Rule("the shared machine layer is below both tiers",
                    "dev\\.isthmus\\.compiler\\.machine(\\.[\\w.]+)?",
                    "dev\\.isthmus\\.compiler(\\.(baseline|optimizing)(\\.[\\w.]+)?)?"),
            new Rule("the runtime is below the compiler, the API and the tools",
                    "dev\\.isthmus\\.runtime(\\.[\\w.]+)?",
                    "dev\\.isthmus(\\.(compiler|wasi|tooling|cli|wast|explore|demo)(\\.[\\w.]+)?)?"),
            new Rule("the code-file format is below the API: it never reaches the API, WASI or the tools",
                    "dev\\.isthmus\\.serialize",
                    "dev\\.isthmus(\\.(wasi|tooling|cli|wast|wast\\.engine|explore|demo)(\\.[\\w.]+)?)?"),
            new Rule("only the API uses the code-file format",
                    "dev\\.isthmus\\.(?!serialize$)(?!$)[\\w.]+", "dev\\.isthmus\\.serialize"),
            new Rule("WASI is built on the public API alone", "dev\\.isthmus\\.wasi",
                    "dev\\.isthmus\\.(?!(model|options|wasi)$)[\\w.]+"),
            new Rule("the API never depends on the tools", "dev\\.isthmus",
                    "dev\\.isthmus\\.(cli|wast|explore|demo)(\\.[\\w.]+)?"),
            new Rule("tools use only the public API and the tooling entry point (and the WAST command records)",
                    TOOLS, "dev\\.isthmus\\.(binary|text|validate|compiler|runtime|os|serialize)(\\.(?!script$)[\\w.]+)?"),
            new Rule("only the assembler demo uses the assembler", "dev\\.isthmus\\.(cli|wast|wast\\.engine|explore)",
                    "dev\\.isthmus\\.x64"));

    @Test
    void layeringRules() {
        List<String> violations = new ArrayList<>();
        for (Rule rule : RULES) {
            Pattern from = Pattern.compile(rule.from());
            Pattern forbidden = Pattern.compile(rule.forbidden());
            for (Map.Entry<String, Set<String>> e : GRAPH.entrySet()) {
                if (!from.matcher(e.getKey()).matches()) continue;
                for (String target : e.getValue()) {
                    if (forbidden.matcher(target).matches()) {
                        violations.add(e.getKey() + " -> " + target + "  (" + rule.why() + ")");
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "layering violations:\n  " + String.join("\n  ", violations));
    }

    /** Tarjan's algorithm; components of more than one package. */
    private static List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> result = new ArrayList<>();
        int[] counter = {0};
        for (String v : GRAPH.keySet()) {
            if (!index.containsKey(v)) connect(v, index, low, stack, onStack, result, counter);
        }
        return result;
    }

    private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, List<List<String>> result, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : GRAPH.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, result, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) result.add(component);
        }
    }
}
