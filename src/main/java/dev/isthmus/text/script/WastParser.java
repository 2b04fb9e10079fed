package dev.isthmus.text.script;

import dev.isthmus.model.ValType;
import dev.isthmus.text.Lexer;
import dev.isthmus.text.TextNumbers;
import dev.isthmus.text.Token;
import dev.isthmus.text.TokenStream;
import dev.isthmus.text.Utf8;
import dev.isthmus.text.WatSyntaxException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code .wast} script into {@link WastCommand}s. Text modules are not parsed here (see
 * {@link ModuleSource.Text}); a command this parser cannot read becomes {@link WastCommand.Unsupported} and parsing
 * continues with the next command, so one unknown construct never loses the rest of a file.
 */
public final class WastParser {
    private final Lexer lexer;
    private final TokenStream in;

    private WastParser(String script) {
        this.lexer = new Lexer(script);
        this.in = new TokenStream(lexer);
    }

    /** Parses a whole script. {@code fileName} is used only in messages. */
    public static List<WastCommand> parse(String script, String fileName) {
        return new WastParser(script).commands(fileName);
    }

    /** The keywords of module fields: a script that starts with one is a single module written without (module). */
    private static final java.util.Set<String> MODULE_FIELDS = java.util.Set.of(
            "type", "import", "func", "table", "memory", "global", "export", "start", "elem", "data", "rec", "tag");

    private List<WastCommand> commands(String fileName) {
        List<WastCommand> out = new ArrayList<>();
        try {
            if (in.at(Token.Kind.LPAREN) && in.peek(1).is(Token.Kind.ATOM)
                    && MODULE_FIELDS.contains(in.peek(1).text())) {
                int line = lexer.lineOf(in.peek().start());
                out.add(new WastCommand.ModuleCommand(line, null,
                        new ModuleSource.Text("(module\n" + lexer.source() + "\n)")));
                return out;
            }
        } catch (WatSyntaxException e) {
            // reported by the loop below
        }
        while (true) {
            int open;
            try {
                Token t = in.peek();
                if (t.is(Token.Kind.EOF)) return out;
                open = t.start();
            } catch (WatSyntaxException e) {
                out.add(new WastCommand.Unsupported(e.line(), "?", fileName + ": " + e.getMessage()));
                return out;
            }
            int line = lexer.lineOf(open);
            String kind = "?";
            try {
                if (!in.at(Token.Kind.LPAREN)) throw in.unexpected(in.peek());
                if (in.peek(1).is(Token.Kind.ATOM)) kind = in.peek(1).text();
                out.add(command(line));
            } catch (WatSyntaxException | TextNumbers.LiteralException e) {
                out.add(new WastCommand.Unsupported(line, kind, fileName + ":" + line + ": " + e.getMessage()));
                in.reset(lexer.skipForm(open));
            } catch (StackOverflowError e) {
                out.add(new WastCommand.Unsupported(line, kind, fileName + ":" + line + ": nesting too deep"));
                in.reset(lexer.skipForm(open));
            }
        }
    }

    private WastCommand command(int line) {
        Token open = in.expect(Token.Kind.LPAREN);
        Token head = in.peek();
        String kind = head.is(Token.Kind.ATOM) ? head.text() : "";
        return switch (kind) {
            case "module" -> moduleCommand(open, line);
            case "register" -> {
                in.next();
                String as = string(in.expect(Token.Kind.STRING));
                String name = in.acceptId();
                in.expectRParen();
                yield new WastCommand.Register(line, as, name);
            }
            case "invoke", "get" -> {
                in.reset(open.start());
                yield new WastCommand.ActionCommand(line, action());
            }
            case "assert_return" -> {
                in.next();
                WastAction action = action();
                List<WastExpected> expected = new ArrayList<>();
                while (!in.at(Token.Kind.RPAREN)) expected.add(expected());
                in.expectRParen();
                yield new WastCommand.AssertReturn(line, action, expected);
            }
            case "assert_trap" -> {
                in.next();
                WastCommand c;
                if (in.atForm("module")) {
                    ModuleSource m = moduleSource(in.expect(Token.Kind.LPAREN)).source;
                    c = new WastCommand.AssertModuleTrap(line, m, string(in.expect(Token.Kind.STRING)));
                } else {
                    WastAction a = action();
                    c = new WastCommand.AssertTrap(line, a, string(in.expect(Token.Kind.STRING)));
                }
                in.expectRParen();
                yield c;
            }
            case "assert_exhaustion" -> {
                in.next();
                WastAction a = action();
                String message = string(in.expect(Token.Kind.STRING));
                in.expectRParen();
                yield new WastCommand.AssertExhaustion(line, a, message);
            }
            case "assert_exception" -> {
                in.next();
                WastAction a = action();
                in.expectRParen();
                yield new WastCommand.AssertException(line, a);
            }
            case "assert_malformed", "assert_invalid", "assert_unlinkable", "assert_uninstantiable" -> {
                in.next();
                if (!in.atForm("module")) throw in.unexpected(in.peek());
                ModuleSource m = moduleSource(in.expect(Token.Kind.LPAREN)).source;
                String message = string(in.expect(Token.Kind.STRING));
                in.expectRParen();
                yield switch (kind) {
                    case "assert_malformed" -> new WastCommand.AssertMalformed(line, m, message);
                    case "assert_invalid" -> new WastCommand.AssertInvalid(line, m, message);
                    case "assert_unlinkable" -> new WastCommand.AssertUnlinkable(line, m, message);
                    default -> new WastCommand.AssertUninstantiable(line, m, message);
                };
            }
            default -> {
                in.reset(lexer.skipForm(open.start()));
                yield new WastCommand.Unsupported(line, kind, "unsupported command " + (kind.isEmpty() ? head : kind));
            }
        };
    }

    private WastCommand moduleCommand(Token open, int line) {
        if (in.peek(1).isKeyword("instance")) {
            in.next();
            in.next();
            String instance = in.acceptId();
            String definition = in.acceptId();
            in.expectRParen();
            return new WastCommand.ModuleInstance(line, instance, definition);
        }
        NamedSource m = moduleSource(open);
        return m.definition
                ? new WastCommand.ModuleDefinition(line, m.name, m.source)
                : new WastCommand.ModuleCommand(line, m.name, m.source);
    }

    private record NamedSource(String name, ModuleSource source, boolean definition) {}

    /** Reads {@code module ...)} after its {@code (}, which is {@code open}. */
    private NamedSource moduleSource(Token open) {
        in.expectKeyword("module");
        boolean definition = in.acceptKeyword("definition");
        String name = in.acceptId();
        if (in.atKeyword("binary") || in.atKeyword("quote")) {
            boolean binary = in.next().text().equals("binary");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (in.at(Token.Kind.STRING)) bytes.writeBytes(in.next().bytes());
            in.expectRParen();
            ModuleSource source = binary
                    ? new ModuleSource.Binary(bytes.toByteArray())
                    : new ModuleSource.Quote(Utf8.decodeKeepingMalformed(bytes.toByteArray()));
            return new NamedSource(name, source, definition);
        }
        int end = lexer.skipForm(open.start());
        in.reset(end);
        String text = lexer.source().substring(open.start(), end);
        if (definition) text = text.replaceFirst("^\\(module\\s+definition", "(module");
        return new NamedSource(name, new ModuleSource.Text(text), definition);
    }

    private WastAction action() {
        Token open = in.expect(Token.Kind.LPAREN);
        int line = lexer.lineOf(open.start());
        if (in.acceptKeyword("invoke")) {
            String module = in.acceptId();
            String export = string(in.expect(Token.Kind.STRING));
            List<WastValue> args = new ArrayList<>();
            while (!in.at(Token.Kind.RPAREN)) args.add(value());
            in.expectRParen();
            return new WastAction.Invoke(line, module, export, args);
        }
        if (in.acceptKeyword("get")) {
            String module = in.acceptId();
            String export = string(in.expect(Token.Kind.STRING));
            in.expectRParen();
            return new WastAction.Get(line, module, export);
        }
        throw in.unexpected(in.peek());
    }

    private WastValue value() {
        WastExpected e = constant(false);
        if (e instanceof WastExpected.Exact(WastValue v)) return v;
        throw in.unexpected(in.peek());
    }

    private WastExpected expected() {
        return constant(true);
    }

    /** One {@code (t.const ...)} or reference form; NaN patterns and ref kinds only when {@code pattern}. */
    private WastExpected constant(boolean pattern) {
        in.expect(Token.Kind.LPAREN);
        Token head = in.expect(Token.Kind.ATOM);
        WastExpected result = switch (head.text()) {
            case "i32.const" -> exact(new WastValue.Num(ValType.I32, TextNumbers.i32(atom()) & 0xFFFFFFFFL));
            case "i64.const" -> exact(new WastValue.Num(ValType.I64, TextNumbers.i64(atom())));
            case "f32.const" -> floatConst(ValType.F32, atom(), pattern);
            case "f64.const" -> floatConst(ValType.F64, atom(), pattern);
            case "v128.const" -> v128(pattern);
            case "ref.null" -> {
                if (in.at(Token.Kind.RPAREN)) {
                    if (!pattern) throw in.unexpected(in.peek());
                    yield new WastExpected.AnyNull();
                }
                yield exact(new WastValue.RefNull(atom()));
            }
            case "ref.extern", "ref.host" -> {
                if (in.at(Token.Kind.RPAREN)) {
                    if (!pattern) throw in.unexpected(in.peek());
                    yield new WastExpected.AnyRef(head.text().substring(4));
                }
                long id = TextNumbers.u32(atom());
                yield exact(head.text().equals("ref.extern") ? new WastValue.RefExtern(id) : new WastValue.RefHost(id));
            }
            case "either" -> {
                if (!pattern) throw in.unexpected(head);
                List<WastExpected> alternatives = new ArrayList<>();
                while (!in.at(Token.Kind.RPAREN)) alternatives.add(expected());
                yield new WastExpected.Either(alternatives);
            }
            default -> {
                if (pattern && head.text().startsWith("ref.")) {
                    while (!in.at(Token.Kind.RPAREN) && !in.at(Token.Kind.EOF)) in.next(); // EOF: expectRParen reports it
                    yield new WastExpected.AnyRef(head.text().substring(4));
                }
                throw in.error("unsupported constant " + head.text(), head);
            }
        };
        in.expectRParen();
        return result;
    }

    private static WastExpected exact(WastValue v) {
        return new WastExpected.Exact(v);
    }

    private WastExpected floatConst(ValType type, String text, boolean pattern) {
        if (pattern && text.equals("nan:canonical")) return new WastExpected.CanonicalNan(type);
        if (pattern && text.equals("nan:arithmetic")) return new WastExpected.ArithmeticNan(type);
        long bits = type == ValType.F32 ? TextNumbers.f32(text) & 0xFFFFFFFFL : TextNumbers.f64(text);
        return exact(new WastValue.Num(type, bits));
    }

    private WastExpected v128(boolean pattern) {
        Token shapeToken = in.expect(Token.Kind.ATOM);
        LaneShape shape = LaneShape.fromText(shapeToken.text());
        if (shape == null) throw in.unexpected(shapeToken);
        List<WastExpected.Lane> lanes = new ArrayList<>();
        boolean anyNanPattern = false;
        for (int i = 0; i < shape.lanes(); i++) {
            String text = atom();
            if (pattern && shape.isFloat() && text.equals("nan:canonical")) {
                lanes.add(new WastExpected.Lane.Canonical());
                anyNanPattern = true;
            } else if (pattern && shape.isFloat() && text.equals("nan:arithmetic")) {
                lanes.add(new WastExpected.Lane.Arithmetic());
                anyNanPattern = true;
            } else {
                lanes.add(new WastExpected.Lane.Bits(laneBits(shape, text)));
            }
        }
        if (anyNanPattern) return new WastExpected.V128Lanes(shape, lanes);
        byte[] bytes = new byte[16];
        int width = shape.laneBytes();
        for (int i = 0; i < lanes.size(); i++) {
            long bits = ((WastExpected.Lane.Bits) lanes.get(i)).bits();
            for (int b = 0; b < width; b++) bytes[i * width + b] = (byte) (bits >>> (8 * b));
        }
        return exact(new WastValue.V128(bytes, shape));
    }

    /** The bits of one lane literal of {@code shape}. */
    static long laneBits(LaneShape shape, String text) {
        return TextNumbers.lane(shape.laneBytes() * 8, shape.isFloat(), text);
    }

    private String atom() {
        return in.expect(Token.Kind.ATOM).text();
    }

    private String string(Token t) {
        return new String(t.bytes(), StandardCharsets.UTF_8);
    }
}
