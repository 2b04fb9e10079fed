package dev.isthmus.text;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed type use {@code (type x)? (param ...)* (result ...)*}: the explicit index (or -1), the inline parameter
 * and result types, and the parameter ids (null entries for unnamed parameters).
 */
record TypeUse(long explicitIndex, Token explicitToken, List<ValType> params, List<String> paramIds,
               List<ValType> results, boolean hasInline) {

    /** Parses a type use at the current position (every part optional). */
    static TypeUse parse(TokenStream in, ModuleContext ctx) {
        long explicit = -1;
        Token explicitToken = null;
        if (in.atForm("type")) {
            in.next();
            in.next();
            explicitToken = in.next();
            explicit = ctx.types.resolve(explicitToken, in.lexer());
            in.expectRParen();
        }
        List<ValType> params = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        boolean inline = false;
        while (in.atForm("param")) {
            inline = true;
            parseDeclarations(in, "param", params, ids);
        }
        List<ValType> results = new ArrayList<>();
        while (in.atForm("result")) {
            inline = true;
            in.next();
            in.next();
            while (!in.at(Token.Kind.RPAREN)) results.add(valType(in));
            in.expectRParen();
        }
        if (in.atForm("param") || in.atForm("type")) throw in.unexpected(in.peek());
        return new TypeUse(explicit, explicitToken, params, ids, results, inline);
    }

    /** Parses one {@code (param $id t)} / {@code (param t*)} (or local) form into the lists. */
    static void parseDeclarations(TokenStream in, String keyword, List<ValType> types, List<String> ids) {
        in.expectForm(keyword);
        if (in.at(Token.Kind.ID)) {
            ids.add(in.next().idName());
            types.add(valType(in));
        } else {
            while (!in.at(Token.Kind.RPAREN)) {
                types.add(valType(in));
                ids.add(null);
            }
        }
        in.expectRParen();
    }

    /** A value type keyword. */
    static ValType valType(TokenStream in) {
        Token t = in.peek();
        if (t.is(Token.Kind.ATOM)) {
            for (ValType v : ValType.values()) {
                if (v.text().equals(t.text())) {
                    in.next();
                    return v;
                }
            }
            if (t.text().equals("exnref") || t.text().equals("nullexnref")) {
                in.next();
                return t.text().equals("exnref") ? ValType.EXNREF : ValType.NULLEXNREF;
            }
        }
        if (t.is(Token.Kind.LPAREN) && in.peek(1).isKeyword("ref")) {
            in.next();
            in.next();
            boolean nullable = in.peek().isKeyword("null");
            if (nullable) in.next();
            int heap = heapType(in);
            in.expectRParen();
            return ValType.ref(nullable, heap);
        }
        if (t.is(Token.Kind.ATOM) && Character.isLetter(t.text().charAt(0))) {
            throw in.error("unknown operator " + t.text(), t);
        }
        throw in.unexpected(t);
    }

    /**
     * A heap type: {@code func}, {@code extern} or a type ({@code $id} or index, resolved against the module's type
     * names); the GC's abstract heap types are not implemented ("unknown type").
     */
    static int heapType(TokenStream in) {
        Token t = in.next();
        if (t.isKeyword("func")) return ValType.HEAP_FUNC;
        if (t.isKeyword("extern")) return ValType.HEAP_EXTERN;
        if (t.isKeyword("exn")) return ValType.HEAP_EXN;
        if (t.isKeyword("noexn")) return ValType.HEAP_NOEXN;
        if (t.is(Token.Kind.ID) || t.is(Token.Kind.ATOM) && TextNumbers.isNat(t.text())) {
            TypeTable types = in.typeNames();
            if (types == null) throw in.error("unknown type " + t.text(), t);
            long index = types.resolve(t, in.lexer());
            if (index > Integer.MAX_VALUE) throw in.error("unknown type " + t.text(), t);
            return (int) index;
        }
        if (t.is(Token.Kind.ATOM)) throw in.error("unknown type " + t.text(), t);
        throw in.unexpected(t);
    }

    /** A reference type keyword: funcref or externref, or {@code (ref null? ht)}. */
    static ValType refType(TokenStream in) {
        Token t = in.peek();
        ValType v = valType(in);
        if (!v.isReference()) throw in.unexpected(t);
        return v;
    }

    FuncType inlineType() {
        return FuncType.of(params, results);
    }

    /**
     * The type index this use denotes: the explicit one (whose type must equal the inline declarations if any:
     * "inline function type"), or the first matching type, created implicitly if needed.
     */
    int resolve(ModuleContext ctx, TokenStream in) {
        if (explicitIndex >= 0) {
            if (hasInline) {
                FuncType declared = ctx.types.get(explicitIndex);
                if (declared == null) throw in.error("unknown type " + explicitToken.text(), explicitToken);
                if (!declared.equals(inlineType())) {
                    throw in.error("inline function type", explicitToken);
                }
            }
            return (int) explicitIndex;
        }
        return ctx.types.indexOf(inlineType());
    }

    /** The parameter types of the function this use denotes (from the explicit type when there is no inline). */
    List<ValType> effectiveParams(ModuleContext ctx) {
        if (explicitIndex >= 0 && !hasInline) {
            FuncType t = ctx.types.get(explicitIndex);
            return t == null ? List.of() : t.params();
        }
        return params;
    }
}
