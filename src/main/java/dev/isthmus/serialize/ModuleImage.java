package dev.isthmus.serialize;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import java.util.List;

/**
 * Everything a code file holds about one compiled module, kept by the module so it can be written at any time:
 * its wasm binary, the decoded module, the machine code (the copy the loader mapped: {@link MachineCode} is
 * immutable), the options key it was compiled under ({@link CodeFile#optionsKey}, taken when it was compiled) and
 * the type-id sites (found on the first write, or read from the code file it was loaded from).
 */
public final class ModuleImage {
    private final WasmModule module;
    private final byte[] binary;
    private final MachineCode code;
    private final String optionsKey;
    private volatile List<TypeIdSite> sites;

    ModuleImage(WasmModule module, byte[] binary, MachineCode code, String optionsKey, List<TypeIdSite> sites) {
        this.module = module;
        this.binary = binary;
        this.code = code;
        this.optionsKey = optionsKey;
        this.sites = sites;
    }

    /**
     * A module just compiled in this process from {@code binary} (not copied: the caller hands it over) with
     * {@code options}.
     */
    public static ModuleImage compiled(WasmModule module, byte[] binary, MachineCode code, CompilerOptions options) {
        return new ModuleImage(module, binary, code, CodeFile.optionsKey(options), null);
    }

    public WasmModule module() {
        return module;
    }

    public MachineCode machineCode() {
        return code;
    }

    byte[] binary() {
        return binary;
    }

    String optionsKey() {
        return optionsKey;
    }

    /** The type-id sites: the compiler's record, checked on the first call ({@link TypeIdSites#find}). */
    List<TypeIdSite> sites() {
        List<TypeIdSite> s = sites;
        if (s == null) {
            synchronized (this) {
                s = sites;
                if (s == null) sites = s = TypeIdSites.find(module, code);
            }
        }
        return s;
    }

    /** This module as a code file ({@link CodeFile}). */
    public byte[] toCodeFile() {
        return CodeFile.write(this);
    }
}
