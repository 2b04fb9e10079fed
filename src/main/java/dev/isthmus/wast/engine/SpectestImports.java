package dev.isthmus.wast.engine;

import dev.isthmus.options.BoundsChecks;
import dev.isthmus.Global;
import dev.isthmus.Memory;
import dev.isthmus.Table;
import dev.isthmus.wast.SpectestHost;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code spectest} module of one script as API objects: {@link SpectestHost}'s functions and globals, a
 * funcref table of 10..20 and a memory of 1..2 pages. Made fresh per script and closed after it.
 */
final class SpectestImports implements AutoCloseable {
    private final SpectestHost host;
    private final Table table;
    private final Table table64;
    private final Memory memory;
    private final List<Global> globals = new ArrayList<>();

    SpectestImports(SpectestHost host, BoundsChecks boundsChecks) {
        this.host = host;
        var tableType = host.table().type();
        this.table = Table.create(tableType.elementType(), tableType.limits().min(), tableType.limits().max());
        var table64Type = host.table64().type();
        this.table64 = Table.create64(table64Type.elementType(), table64Type.limits().min(),
                table64Type.limits().max());
        var memoryLimits = host.memory().type().limits();
        this.memory = Memory.create(memoryLimits.min(), memoryLimits.max(), boundsChecks);
        for (SpectestHost.HostGlobal g : host.globals()) {
            globals.add(Global.create(g.type().type(), g.type().mutable(),
                    ScriptValues.toJava(g.type().type(), g.value())));
        }
    }

    /** Adds {@code spectest.name} to {@code imports}; false when spectest has no such export. */
    boolean provide(String name, dev.isthmus.Imports.Builder imports) {
        SpectestHost.HostFunction function = host.function(name);
        if (function != null) {
            imports.function(SpectestHost.MODULE_NAME, name, function.handle());
            return true;
        }
        for (int i = 0; i < host.globals().size(); i++) {
            if (host.globals().get(i).name().equals(name)) {
                imports.global(SpectestHost.MODULE_NAME, name, globals.get(i));
                return true;
            }
        }
        if (name.equals(host.table().name())) {
            imports.table(SpectestHost.MODULE_NAME, name, table);
            return true;
        }
        if (name.equals(host.table64().name())) {
            imports.table(SpectestHost.MODULE_NAME, name, table64);
            return true;
        }
        if (name.equals(host.memory().name())) {
            imports.memory(SpectestHost.MODULE_NAME, name, memory);
            return true;
        }
        return false;
    }


    @Override
    public void close() {
        table.close();
        table64.close();
        memory.close();
        for (Global g : globals) g.close();
    }
}
