package dev.isthmus.text;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;

/**
 * The sections of the binary module being written: one entry buffer and count per vector section, the start
 * function, and the final assembly in the binary format's section order:
 *
 * <pre>
 *   magic version | 1 type | 2 import | 3 func | 4 table | 5 memory | 6 global | 7 export | 8 start | 9 elem
 *                 | 12 datacount | 10 code | 11 data | 0 "name" (optional)
 * </pre>
 *
 * Empty vector sections are left out, as wat2wasm does.
 */
final class ModuleSections {

    /** One vector section being filled. */
    static final class Section {
        private final int id;
        private final BinaryWriter entries = new BinaryWriter();
        private int count;

        Section(int id) {
            this.id = id;
        }

        /** Starts a new entry: counts it and returns the buffer to write it to. */
        BinaryWriter add() {
            count++;
            return entries;
        }

        int count() {
            return count;
        }

        void writeTo(BinaryWriter out) {
            out.section(id, count, entries);
        }
    }

    final Section imports = new Section(2);
    final Section functions = new Section(3);
    final Section tables = new Section(4);
    final Section memories = new Section(5);
    final Section tags = new Section(13);
    final Section globals = new Section(6);
    final Section exports = new Section(7);
    final Section elems = new Section(9);
    final Section codes = new Section(10);
    final Section datas = new Section(11);
    /** The start function, or null. */
    Long start;

    /**
     * The whole module. {@code dataCountSection} asks for the data count section (needed when code uses
     * memory.init or data.drop); {@code nameSection} is the payload of a "name" custom section, or null.
     */
    private static boolean inGroup(TypeTable types, int index) {
        for (int[] g : types.recGroups()) if (index >= g[0] && index < g[0] + g[1]) return true;
        return false;
    }

    byte[] assemble(TypeTable types, boolean dataCountSection, byte[] nameSection) {
        BinaryWriter out = new BinaryWriter();
        out.bytes(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
        BinaryWriter typeEntries = new BinaryWriter();
        int entries = 0;
        java.util.Map<Integer, Integer> groups = new java.util.HashMap<>();
        for (int[] g : types.recGroups()) groups.put(g[0], g[1]);
        for (int i = 0; i < types.all().size(); i++) {
            Integer group = groups.get(i);
            if (group != null) typeEntries.u8(0x4E).u32(group);   // rec: one entry for the whole group
            if (group != null || !inGroup(types, i)) entries++;
            FuncType t = types.all().get(i);
            typeEntries.u8(0x60).u32(t.params().size());
            for (ValType v : t.params()) typeEntries.valType(v);
            typeEntries.u32(t.results().size());
            for (ValType v : t.results()) typeEntries.valType(v);
        }
        out.section(1, entries, typeEntries);
        imports.writeTo(out);
        functions.writeTo(out);
        tables.writeTo(out);
        memories.writeTo(out);
        tags.writeTo(out);
        globals.writeTo(out);
        exports.writeTo(out);
        if (start != null) out.u8(8).sized(new BinaryWriter().u32(start).toByteArray());
        elems.writeTo(out);
        if (dataCountSection) out.u8(12).sized(new BinaryWriter().u32(datas.count()).toByteArray());
        codes.writeTo(out);
        datas.writeTo(out);
        if (nameSection != null) out.u8(0).sized(nameSection);
        return out.toByteArray();
    }
}
