package dev.isthmus.model;

import java.util.List;

/** A function signature: parameter and result types. */
public record FuncType(List<ValType> params, List<ValType> results) {
    public FuncType {
        params = List.copyOf(params);
        results = List.copyOf(results);
    }

    public static FuncType of(List<ValType> params, List<ValType> results) {
        return new FuncType(params, results);
    }

    /** The type in the text format: {@code (func (param i32 i32) (result i64))}, {@code (func)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(func");
        if (!params.isEmpty()) sb.append(" (param ").append(join(params)).append(')');
        if (!results.isEmpty()) sb.append(" (result ").append(join(results)).append(')');
        return sb.append(')').toString();
    }

    private static String join(List<ValType> types) {
        StringBuilder sb = new StringBuilder();
        for (ValType t : types) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(t.text());
        }
        return sb.toString();
    }
}
