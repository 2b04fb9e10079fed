package dev.isthmus.runtime.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A table's header in native memory (one per table, shared by every instance that imports it). Elements are 8
 * bytes: a funcref element is the address of a {@link FuncRefLayout func ref} (0 = null); an externref element is a
 * host handle (0 = null). {@code table.grow} may move {@code elements}, so code reloads it after calls.
 *
 * <pre>
 *   offset  field
 *        0  elements  address of the element array
 *        8  size      current number of elements
 *       16  max       maximum number of elements (2^32 - 1 when unbounded)
 *       24
 * </pre>
 */
public final class TableLayout {
    private TableLayout() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("elements"),
            JAVA_LONG.withName("size"),
            JAVA_LONG.withName("max")).withName("table");

    public static final long ELEMENTS = LAYOUT.byteOffset(groupElement("elements"));
    public static final long SIZE = LAYOUT.byteOffset(groupElement("size"));
    public static final long MAX = LAYOUT.byteOffset(groupElement("max"));
    public static final long ELEMENT_SIZE = 8;
}
