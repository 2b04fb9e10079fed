package dev.isthmus.model;

/** What an import describes: a function (by type index), a table, a memory or a global. */
public sealed interface ImportDesc {
    ExternKind kind();

    record Func(int typeIndex) implements ImportDesc {
        public ExternKind kind() { return ExternKind.FUNC; }
    }

    record Table(TableType type) implements ImportDesc {
        public ExternKind kind() { return ExternKind.TABLE; }
    }

    record Memory(MemoryType type) implements ImportDesc {
        public ExternKind kind() { return ExternKind.MEMORY; }
    }

    record Global(GlobalType type) implements ImportDesc {
        public ExternKind kind() { return ExternKind.GLOBAL; }
    }

    /** An exception tag whose type is the function type {@code typeIndex} (its results are empty). */
    record Tag(int typeIndex) implements ImportDesc {
        public ExternKind kind() { return ExternKind.TAG; }
    }
}
