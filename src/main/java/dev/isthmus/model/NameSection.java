package dev.isthmus.model;

import java.util.Map;

/**
 * The contents of the {@code name} custom section (all optional).
 *
 * @param moduleName    the module's name, or null
 * @param functionNames function index to name
 * @param localNames    function index to (local index to name)
 */
public record NameSection(String moduleName, Map<Integer, String> functionNames, Map<Integer, Map<Integer, String>> localNames) {
    public static final NameSection EMPTY = new NameSection(null, Map.of(), Map.of());

    public NameSection {
        functionNames = Map.copyOf(functionNames);
        localNames = Map.copyOf(localNames);
    }
}
