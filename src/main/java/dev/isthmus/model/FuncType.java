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

    @Override
    public String toString() {
        return "(func (param " + join(params) + ") (result " + join(results) + "))";
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
