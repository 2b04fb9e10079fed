package dev.isthmus.validate;

import dev.isthmus.model.ValType;

import java.util.Arrays;

/**
 * The fixed stack effect of an instruction, {@code [params] -> [results]}: the operands it pops (last param on top)
 * and the values it pushes. Written in the spec's notation, e.g. {@code Signature.parse("i32 i32 -> i32")}.
 *
 * <p>The arrays are shared and must not be modified.
 */
record Signature(ValType[] params, ValType[] results) {

    /** Parses {@code "t* -> t*"} where each {@code t} is a value type keyword ({@code i32}, {@code v128}, ...). */
    static Signature parse(String text) {
        int arrow = text.indexOf("->");
        if (arrow < 0) throw new IllegalArgumentException("no arrow in " + text);
        return new Signature(types(text.substring(0, arrow)), types(text.substring(arrow + 2)));
    }

    private static ValType[] types(String list) {
        String trimmed = list.trim();
        if (trimmed.isEmpty()) return new ValType[0];
        String[] words = trimmed.split("\\s+");
        ValType[] out = new ValType[words.length];
        for (int i = 0; i < words.length; i++) out[i] = keyword(words[i]);
        return out;
    }

    private static ValType keyword(String word) {
        for (ValType t : ValType.values()) if (t.text().equals(word)) return t;
        throw new IllegalArgumentException("not a value type: " + word);
    }

    @Override
    public String toString() {
        return (join(params) + " -> " + join(results)).trim();
    }

    private static String join(ValType[] types) {
        return String.join(" ", Arrays.stream(types).map(ValType::text).toList());
    }
}
