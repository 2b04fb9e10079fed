package dev.isthmus.binary;

import dev.isthmus.binary.DecodeException;
import dev.isthmus.model.NameSection;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code name} custom section: debugging names for the module, its functions and their locals.
 * <pre>
 *   namesec    ::= subsection*                      ids strictly increasing, each at most once
 *   subsection ::= id:byte size:u32 contents(size)
 *     id 0  module name   name
 *     id 1  function      vec(funcidx name)
 *     id 2  locals        vec(funcidx vec(localidx name))
 *     other ids (labels, types, ... of the extended name section) are skipped
 * </pre>
 * The contents of custom sections do not affect whether a module is well formed, so this decoder never rejects
 * anything: it keeps what it could read and drops the rest from the first problem on (a truncated subsection, a
 * bad UTF-8 name, subsections out of order, ...).
 */
final class NameSectionDecoder {
    private static final int MODULE = 0;
    private static final int FUNCTIONS = 1;
    private static final int LOCALS = 2;

    private final Map<Integer, String> functionNames = new HashMap<>();
    private final Map<Integer, Map<Integer, String>> localNames = new HashMap<>();
    private String moduleName;

    private NameSectionDecoder() {}

    /** Decodes the payload {@code bytes[from..to)} of a custom section named "name" (after the name itself). */
    static NameSection decode(byte[] bytes, int from, int to) {
        NameSectionDecoder d = new NameSectionDecoder();
        try {
            d.subsections(new ByteReader(bytes, from, to, 0, "unexpected end"));
        } catch (DecodeException e) {
            // the rest of the section is unreadable: keep what was read before it
        }
        return new NameSection(d.moduleName, d.functionNames, d.localNames);
    }

    private void subsections(ByteReader in) {
        int lastId = -1;
        while (!in.atEnd()) {
            int id = in.u8();
            if (id <= lastId) return;
            lastId = id;
            int size = in.u32AsInt();
            ByteReader sub = in.slice(size, "unexpected end");
            switch (id) {
                case MODULE -> moduleName = sub.name();
                case FUNCTIONS -> nameMap(sub, functionNames);
                case LOCALS -> localNameMaps(sub);
                default -> { }
            }
        }
    }

    private static void nameMap(ByteReader in, Map<Integer, String> into) {
        int n = in.u32AsInt();
        for (int i = 0; i < n; i++) {
            int index = in.u32AsInt();
            into.put(index, in.name());
        }
    }

    private void localNameMaps(ByteReader in) {
        int n = in.u32AsInt();
        for (int i = 0; i < n; i++) {
            int function = in.u32AsInt();
            Map<Integer, String> locals = new HashMap<>();
            try {
                nameMap(in, locals);
            } finally {
                if (!locals.isEmpty()) localNames.put(function, Map.copyOf(locals));
            }
        }
    }
}
