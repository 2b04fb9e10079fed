package dev.isthmus.text;

import java.util.HashMap;
import java.util.Map;

/**
 * One index space of a module (functions, tables, locals, ...) as far as the text format needs it: how many entries
 * it has and which {@code $id} names which index.
 */
final class IndexSpace {
    private final String duplicateWord;
    private final String unknownWord;
    private final Map<String, Integer> ids = new HashMap<>();
    private int count;

    /** {@code duplicateWord}/{@code unknownWord} complete "duplicate ..." / "unknown ..." messages. */
    IndexSpace(String duplicateWord, String unknownWord) {
        this.duplicateWord = duplicateWord;
        this.unknownWord = unknownWord;
    }

    /** Adds an entry, named {@code id} unless null; returns its index. */
    int add(String id, Token at, Lexer lexer) {
        if (id != null) {
            if (ids.containsKey(id)) throw lexer.error("duplicate " + duplicateWord, at.start());
            ids.put(id, count);
        }
        return count++;
    }

    int size() {
        return count;
    }

    /** The named entries, index to id, in index order. */
    java.util.SortedMap<Integer, String> names() {
        java.util.SortedMap<Integer, String> byIndex = new java.util.TreeMap<>();
        ids.forEach((id, index) -> byIndex.put(index, id));
        return byIndex;
    }

    /** Resolves an index token: {@code $id} or an unsigned literal. */
    long resolve(Token t, Lexer lexer) {
        if (t.is(Token.Kind.ID)) {
            Integer i = ids.get(t.idName());
            if (i == null) throw lexer.error("unknown " + unknownWord + " " + t.text(), t.start());
            return i;
        }
        if (t.is(Token.Kind.ATOM) && TextNumbers.isNat(t.text())) {
            try {
                return TextNumbers.u32(t.text());
            } catch (TextNumbers.LiteralException e) {
                throw lexer.error(e.getMessage(), t.start());
            }
        }
        if (t.is(Token.Kind.ATOM)) throw lexer.error("unknown operator", t.start());
        throw lexer.error("unexpected token", t.start());
    }
}
