package dev.isthmus.text;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import java.util.ArrayList;
import java.util.List;

/**
 * The first pass over a module's fields: gives every function, table, memory, global, element and data segment its
 * index and records its {@code $id}, and reads the explicit type definitions, so that the second pass can resolve
 * names used before their definition. Also enforces that imports come before definitions ("import after ...").
 */
final class FieldDeclarer {
    private final TokenStream in;
    private final Lexer lexer;
    private final ModuleContext ctx;
    /** "function", "table", ... of the last definition seen, or null. */
    private String lastDefinition;

    private FieldDeclarer(TokenStream in, ModuleContext ctx) {
        this.in = in;
        this.lexer = in.lexer();
        this.ctx = ctx;
    }

    /** Declares the fields from the current position up to the module's closing parenthesis (not consumed). */
    static void declare(TokenStream in, ModuleContext ctx) {
        int start = in.mark();
        new FieldDeclarer(in, ctx).typeNames();
        in.reset(start);
        new FieldDeclarer(in, ctx).fields();
    }

    /** Declares the explicit types' names first: a type may refer to itself or a later one. */
    private void typeNames() {
        while (in.at(Token.Kind.LPAREN)) {
            in.next();
            Token kw = in.next();
            if (kw.is(Token.Kind.ATOM) && kw.text().equals("type")) ctx.types.declareExplicit(in.acceptId(), kw, lexer);
            if (kw.is(Token.Kind.ATOM) && kw.text().equals("rec")) {
                // (rec (type ...)*): a recursion group of function types
                int count = 0;
                while (in.atForm("type")) {
                    in.next();
                    Token type = in.next();
                    ctx.types.declareExplicit(in.acceptId(), type, lexer);
                    in.skipRestOfForm();
                    count++;
                }
                ctx.types.recGroup(count);
            }
            in.skipRestOfForm();
        }
    }

    private void fields() {
        while (in.at(Token.Kind.LPAREN)) {
            in.next();
            Token kw = in.next();
            if (!kw.is(Token.Kind.ATOM)) throw in.unexpected(kw);
            switch (kw.text()) {
                case "type" -> {
                    type(kw);
                    continue;
                }
                case "rec" -> {
                    while (in.atForm("type")) {
                        in.next();
                        type(in.next());
                    }
                    in.expectRParen();
                    continue;
                }
                case "import" -> {
                    checkImportOrder(kw);
                    in.expect(Token.Kind.STRING);
                    in.expect(Token.Kind.STRING);
                    in.expect(Token.Kind.LPAREN);
                    Token kind = in.next();
                    ctx.space(kind, in).add(in.acceptId(), kind, lexer);
                    in.skipRestOfForm();
                }
                case "func", "table", "memory", "global", "tag" -> definition(kw);
                case "elem" -> ctx.elems.add(in.acceptId(), kw, lexer);
                case "data" -> ctx.datas.add(in.acceptId(), kw, lexer);
                case "export", "start" -> { }
                default -> throw in.unexpected(kw);
            }
            in.skipRestOfForm();
        }
    }

    private void checkImportOrder(Token at) {
        if (lastDefinition != null) throw in.error("import after " + lastDefinition, at);
    }

    /** A func/table/memory/global field, which may be an import in disguise or carry an inline segment. */
    private void definition(Token kw) {
        ctx.space(kw, in).add(in.acceptId(), kw, lexer);
        while (in.atForm("export")) {
            in.next();
            in.skipRestOfForm();
        }
        if (in.atForm("import")) {
            checkImportOrder(kw);
            return;
        }
        lastDefinition = kw.text().equals("func") ? "function" : kw.text();
        if (kw.text().equals("table") && containsForm("elem")) ctx.elems.add(null, kw, lexer);
        if (kw.text().equals("memory") && containsForm("data")) ctx.datas.add(null, kw, lexer);
    }

    /** True if a {@code (word ...)} form follows at the current nesting level before the field's end. */
    private boolean containsForm(String word) {
        int mark = in.mark();
        try {
            while (!in.at(Token.Kind.RPAREN) && !in.at(Token.Kind.EOF)) {
                if (in.atForm(word)) return true;
                if (in.next().is(Token.Kind.LPAREN)) in.skipRestOfForm();
            }
            return false;
        } finally {
            in.reset(mark);
        }
    }

    /** {@code (type $id? (func (param ...)* (result ...)*))}, after {@code (type}. */
    private void type(Token kw) {
        String id = in.acceptId();
        in.expectForm("func");
        List<ValType> params = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (in.atForm("param")) TypeUse.parseDeclarations(in, "param", params, ids);
        List<ValType> results = new ArrayList<>();
        while (in.atForm("result")) {
            in.next();
            in.next();
            while (!in.at(Token.Kind.RPAREN)) results.add(TypeUse.valType(in));
            in.expectRParen();
        }
        in.expectRParen();
        in.expectRParen();
        ctx.types.defineExplicit(FuncType.of(params, results));
    }
}
