package dev.isthmus.text;

import java.util.ArrayList;
import java.util.List;

/** A {@link Lexer} with lookahead and the small expectations every parser of the text format needs. */
public final class TokenStream {
    private final Lexer lexer;
    private final List<Token> ahead = new ArrayList<>();
    /** The type names of the module being parsed, for {@code (ref $t)}; null outside a module. */
    private TypeTable typeNames;

    public TokenStream(Lexer lexer) {
        this.lexer = lexer;
    }

    public Lexer lexer() {
        return lexer;
    }

    void typeNames(TypeTable types) {
        this.typeNames = types;
    }

    TypeTable typeNames() {
        return typeNames;
    }

    public Token peek() {
        return peek(0);
    }

    /** The token {@code k} places ahead (0 = next). */
    public Token peek(int k) {
        while (ahead.size() <= k) ahead.add(lexer.next());
        return ahead.get(k);
    }

    public Token next() {
        Token t = peek();
        ahead.remove(0);
        return t;
    }

    /** Offset of the next token, to come back to with {@link #reset(int)}. */
    public int mark() {
        return peek().start();
    }

    public void reset(int offset) {
        ahead.clear();
        lexer.seek(offset);
    }

    /** True if the next tokens are {@code (} and the keyword {@code word}. */
    public boolean atForm(String word) {
        return peek().is(Token.Kind.LPAREN) && peek(1).isKeyword(word);
    }

    public boolean atKeyword(String word) {
        return peek().isKeyword(word);
    }

    public boolean at(Token.Kind kind) {
        return peek().is(kind);
    }

    /** Consumes {@code (} and the keyword {@code word}. */
    public void expectForm(String word) {
        expect(Token.Kind.LPAREN);
        expectKeyword(word);
    }

    public Token expect(Token.Kind kind) {
        Token t = peek();
        if (!t.is(kind)) throw unexpected(t);
        return next();
    }

    public void expectKeyword(String word) {
        Token t = peek();
        if (!t.isKeyword(word)) throw unexpected(t);
        next();
    }

    /** Consumes the keyword {@code word} if it is next. */
    public boolean acceptKeyword(String word) {
        if (!atKeyword(word)) return false;
        next();
        return true;
    }

    /** Consumes an identifier if one is next and returns its name, else null. */
    public String acceptId() {
        return at(Token.Kind.ID) ? next().idName() : null;
    }

    public void expectRParen() {
        expect(Token.Kind.RPAREN);
    }

    /** Skips the rest of a form whose {@code (} has been consumed, up to and including its {@code )}. */
    public void skipRestOfForm() {
        int depth = 1;
        while (depth > 0) {
            Token t = next();
            switch (t.kind()) {
                case LPAREN -> depth++;
                case RPAREN -> depth--;
                case EOF -> throw unexpected(t);
                default -> { }
            }
        }
    }

    /** "unexpected token" (or "unexpected end of input") at {@code t}. */
    public WatSyntaxException unexpected(Token t) {
        if (t.is(Token.Kind.EOF)) return error("unexpected end of input", t);
        if (t.is(Token.Kind.RESERVED)) return error("unknown operator", t);
        return error("unexpected token", t);
    }

    public WatSyntaxException error(String reason, Token at) {
        return lexer.error(reason, at.start());
    }
}
