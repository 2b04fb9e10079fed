package dev.isthmus.runtime.instance;

import dev.isthmus.model.FuncType;
import dev.isthmus.runtime.host.HostCode;
import dev.isthmus.runtime.memory.LinearMemory;

/** Something an instance exports or a module imports, as the runtime holds it. */
public sealed interface ExternValue {

    /**
     * A wasm function of some instance.
     *
     * @param funcRef the address of its 24-byte func ref (in the owner's vmctx)
     * @param type its signature
     * @param adapters the code whose entry adapter for {@code typeIndex} can call it from Java
     * @param typeIndex its type index in the module of {@code adapters}
     * @param owner the instance that keeps the func ref alive
     */
    record WasmFunction(long funcRef, FuncType type, ModuleCode adapters, int typeIndex, Object owner)
            implements ExternValue {}

    /** A Java function; each importing instance gives it a host record and its own host-call adapter. */
    record HostFunction(FuncType type, HostCode code) implements ExternValue {}

    record Memory(LinearMemory memory) implements ExternValue {}

    record Table(TableInstance table) implements ExternValue {}

    record Global(GlobalCell cell) implements ExternValue {}

    /** An exception tag (compared by identity). */
    record Tag(TagInstance tag) implements ExternValue {}
}
