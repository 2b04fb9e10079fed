package dev.isthmus.text;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes the "name" custom section from the text's {@code $ids}, laid out as wat2wasm --debug-names does:
 *
 * <pre>
 *   "name" | 0: module name | 1: vec(funcidx name) | 2: vec(funcidx vec(localidx name)), every function listed
 * </pre>
 */
final class NameSectionWriter {
    private NameSectionWriter() {}

    /**
     * The section payload. {@code moduleId} may be null; {@code localNames} maps defined functions to their named
     * locals.
     */
    static byte[] write(String moduleId, SortedMap<Integer, String> functionNames, int functionCount,
                        Map<Integer, SortedMap<Integer, String>> localNames) {
        BinaryWriter w = new BinaryWriter().sized(utf8("name"));
        if (moduleId != null) w.u8(0).sized(new BinaryWriter().sized(utf8(moduleId)).toByteArray());
        if (!functionNames.isEmpty()) w.u8(1).sized(nameMap(functionNames).toByteArray());
        if (localNames.values().stream().anyMatch(m -> !m.isEmpty())) {
            BinaryWriter locals = new BinaryWriter().u32(functionCount);
            for (int f = 0; f < functionCount; f++) {
                locals.u32(f).append(nameMap(localNames.getOrDefault(f, new TreeMap<>())));
            }
            w.u8(2).sized(locals.toByteArray());
        }
        return w.toByteArray();
    }

    private static BinaryWriter nameMap(SortedMap<Integer, String> names) {
        BinaryWriter w = new BinaryWriter().u32(names.size());
        names.forEach((index, name) -> w.u32(index).sized(utf8(name)));
        return w;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
