package dev.isthmus.binary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only extraction of the binary modules of a {@code .wast} script: every {@code (module binary "...")}, with
 * the command it appears in ("module", "assert_malformed", "assert_invalid", ...) and, for assertions, the expected
 * message. Just enough of the script syntax to do that: lists, atoms, strings with their escapes, and comments.
 */
final class WastBinaryModules {
    /** One binary module of a script. */
    record Entry(String file, int line, String command, byte[] bytes, String expected) {
        @Override
        public String toString() {
            return file + ":" + line + " " + command + (expected == null ? "" : " \"" + expected + "\"");
        }
    }

    private sealed interface Node permits ListNode, Atom, Str {}

    private record ListNode(int line, List<Node> items) implements Node {}

    private record Atom(String text) implements Node {}

    private record Str(byte[] bytes) implements Node {}

    private final String text;
    private int pos;
    private int line = 1;

    private WastBinaryModules(String text) {
        this.text = text;
    }

    /** The testsuite directory: the isthmus.testsuite property, else ISTHMUS_TESTSUITE, else ../shared/testsuite. */
    static Path testsuite() {
        String dir = System.getProperty("isthmus.testsuite");
        if (dir == null) dir = System.getenv("ISTHMUS_TESTSUITE");
        if (dir == null) dir = "../shared/testsuite";
        return Path.of(dir);
    }

    static List<Entry> read(Path file) throws IOException {
        WastBinaryModules p = new WastBinaryModules(Files.readString(file, StandardCharsets.UTF_8));
        List<Entry> out = new ArrayList<>();
        String name = file.getFileName().toString();
        for (Node top : p.parseAll()) {
            if (top instanceof ListNode cmd && !cmd.items().isEmpty() && cmd.items().get(0) instanceof Atom head) {
                collect(name, head.text(), cmd, out);
            }
        }
        return out;
    }

    private static void collect(String file, String command, ListNode cmd, List<Entry> out) {
        if (command.equals("module")) {
            byte[] bytes = binary(cmd);
            if (bytes != null) out.add(new Entry(file, cmd.line(), command, bytes, null));
            return;
        }
        if (cmd.items().size() < 2 || !(cmd.items().get(1) instanceof ListNode module)) return;
        if (module.items().isEmpty() || !(module.items().get(0) instanceof Atom a) || !a.text().equals("module")) return;
        byte[] bytes = binary(module);
        if (bytes == null) return;
        String expected = null;
        if (cmd.items().size() > 2 && cmd.items().get(2) instanceof Str s) {
            expected = new String(s.bytes(), StandardCharsets.UTF_8);
        }
        out.add(new Entry(file, module.line(), command, bytes, expected));
    }

    /** The bytes of {@code (module $id? binary "..."*)}, or null for any other module form. */
    private static byte[] binary(ListNode module) {
        List<Node> items = module.items();
        int i = 1;
        if (i < items.size() && items.get(i) instanceof Atom id && id.text().startsWith("$")) i++;
        if (i >= items.size() || !(items.get(i) instanceof Atom kw) || !kw.text().equals("binary")) return null;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (i++; i < items.size(); i++) {
            if (items.get(i) instanceof Str s) b.writeBytes(s.bytes());
        }
        return b.toByteArray();
    }

    private List<Node> parseAll() {
        List<Node> top = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= text.length()) return top;
            top.add(node());
        }
    }

    private Node node() {
        char c = text.charAt(pos);
        if (c == '(') {
            int startLine = line;
            pos++;
            List<Node> items = new ArrayList<>();
            while (true) {
                skipSpaceAndComments();
                if (pos >= text.length()) throw new IllegalStateException("unclosed list from line " + startLine);
                if (text.charAt(pos) == ')') {
                    pos++;
                    return new ListNode(startLine, items);
                }
                items.add(node());
            }
        }
        if (c == '"') return string();
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && "()\"".indexOf(text.charAt(pos)) < 0
                && !text.startsWith(";;", pos)) {
            pos++;
        }
        if (start == pos) throw new IllegalStateException("unexpected '" + c + "' at line " + line);
        return new Atom(text.substring(start, pos));
    }

    private Str string() {
        pos++;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            char c = text.charAt(pos++);
            if (c == '"') return new Str(b.toByteArray());
            if (c == '\n') line++;
            if (c != '\\') {
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> b.write('\n');
                case 't' -> b.write('\t');
                case 'r' -> b.write('\r');
                case '"', '\'', '\\' -> b.write(e);
                case 'u' -> {
                    int close = text.indexOf('}', pos);
                    int cp = Integer.parseInt(text.substring(pos + 1, close), 16);
                    b.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                    pos = close + 1;
                }
                default -> {
                    b.write(Integer.parseInt(text.substring(pos - 1, pos + 1), 16));
                    pos++;
                }
            }
        }
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (text.startsWith(";;", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n') pos++;
            } else if (text.startsWith("(;", pos)) {
                int depth = 0;
                do {
                    if (text.startsWith("(;", pos)) {
                        depth++;
                        pos += 2;
                    } else if (text.startsWith(";)", pos)) {
                        depth--;
                        pos += 2;
                    } else {
                        if (text.charAt(pos) == '\n') line++;
                        pos++;
                    }
                } while (depth > 0);
            } else {
                return;
            }
        }
    }
}
