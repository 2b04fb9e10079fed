package dev.isthmus.binary;

/**
 * The sections of a WebAssembly 2.0 binary module: their ids, their names (used in error messages) and the order in
 * which the non-custom ones must appear.
 *
 * <p>The required order is not the order of the ids: the data count section (id 12) sits between the element
 * section (9) and the code section (10).
 *
 * <pre>
 *   custom* type? custom* import? custom* function? custom* table? custom* memory? custom* global? custom*
 *   export? custom* start? custom* element? custom* datacount? custom* code? custom* data? custom*
 * </pre>
 */
public enum SectionId {
    CUSTOM(0, "custom", 0),
    TYPE(1, "type", 1),
    IMPORT(2, "import", 2),
    FUNCTION(3, "function", 3),
    TABLE(4, "table", 4),
    MEMORY(5, "memory", 5),
    TAG(13, "tag", 6),
    GLOBAL(6, "global", 7),
    EXPORT(7, "export", 8),
    START(8, "start", 9),
    ELEMENT(9, "element", 10),
    DATA_COUNT(12, "data count", 11),
    CODE(10, "code", 12),
    DATA(11, "data", 13);

    private static final SectionId[] BY_ID = new SectionId[14];

    static {
        for (SectionId s : values()) BY_ID[s.id] = s;
    }

    private final int id;
    private final String sectionName;
    private final int order;

    SectionId(int id, String sectionName, int order) {
        this.id = id;
        this.sectionName = sectionName;
        this.order = order;
    }

    /** The id byte that introduces the section. */
    public int id() {
        return id;
    }

    /** The section's name as error messages show it ("type", "data count", ...). */
    public String sectionName() {
        return sectionName;
    }

    /** The position of a non-custom section in the required order (custom sections: 0, allowed anywhere). */
    public int order() {
        return order;
    }

    /** The section with id byte {@code id}, or null when no section has that id. */
    public static SectionId fromId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
