package dev.isthmus.serialize;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.ModuleRejection;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.machine.SafepointPoll;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.abi.TypeIds;
import dev.isthmus.x64.IsaExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.zip.CRC32C;

/**
 * The code file format ({@code .ism}), version {@value #FORMAT_VERSION}: a compiled module that loads without
 * compiling. All numbers little-endian; the layout is drawn in {@code docs/architecture.md}, "Code files".
 *
 * <pre>
 *   0   magic "\0isthmus" (8)   8  format version u32   12  CRC32C u32 of the file without these 4 bytes
 *   16  file length u64
 *   24  sections, each: tag (4 ASCII) + payload length u32 + payload, in this order:
 *       KEY   build id, options key, required CPU extensions      (what the file may be loaded under)
 *       WASM  the module's binary                                 (decoded again on load)
 *       CODE  the machine code                                    (trusted: mapped executable as it is)
 *       FUNC  imported count, defined count, entry[defined], end[defined]
 *       ADPT  type count, entry adapter[types], host adapter[types]
 *       PCMP  count, code offset[count], wasm offset[count]       (pc → wasm instruction, for backtraces)
 *       UNWD  per defined function: count, (code offset u32, step u64)[count]
 *       EXCP  per defined function: count, handler table int[count]   (FrameUnwind.handlers: try ranges)
 *       TYID  count, (code offset u32, width u8, type index u32)[count]   (patched with this process's ids)
 * </pre>
 *
 * Reading checks, before anything else is used: the magic, the format version, the length, the checksum; then the
 * build id, the options key (compiler options, wasm stack geometry, safepoint polls) and the CPU extensions; then
 * every count, offset and index against the sizes it must fit (a {@link CodeFileException} names the section and
 * the byte). Only the machine code itself is not checked: a code file is trusted like a native library.
 */
public final class CodeFile {
    private CodeFile() {
    }

    /** The first 8 bytes of every code file. */
    private static final byte[] MAGIC = {0, 'i', 's', 't', 'h', 'm', 'u', 's'};
    public static final int FORMAT_VERSION = 2;
    private static final int CHECKSUM_AT = 12;
    private static final int LENGTH_AT = 16;
    private static final int HEADER = 24;

    /** Whether {@code bytes} start like a code file (its magic, or as much of it as there is, at least 4 bytes). */
    public static boolean isCodeFile(byte[] bytes) {
        if (bytes.length < 4) return false;
        for (int i = 0; i < Math.min(bytes.length, MAGIC.length); i++) if (bytes[i] != MAGIC[i]) return false;
        return true;
    }

    /**
     * The options key: every setting that changes the code or what the runtime must provide for it, as
     * {@code key=value} words — the compiler options, the wasm stack alignment ({@code test esp, WINDOW_MASK} is
     * compiled in; it follows {@code isthmus.wasmStack.size}) and whether safepoint polls are compiled (off only
     * while measuring their cost).
     */
    public static String optionsKey(CompilerOptions o) {
        return "tier=" + o.tier().name().toLowerCase(Locale.ROOT)
                + " bounds-checks=" + o.boundsChecks().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " stack-check=" + o.stackCheck().flag()
                + " frame-pointer=" + (o.framePointer() ? "on" : "off")
                + " align=" + o.alignment()
                + " avx=" + (o.avx() ? "on" : "off")
                + " fuel=" + (o.fuel() ? "on" : "off")
                + " wasm-stack-alignment=" + StackGeometry.ALIGNMENT
                + " safepoint-polls=" + ("false".equals(System.getProperty(SafepointPoll.MEASUREMENT_PROPERTY))
                        ? "off" : "on");
    }

    /** What a code file gives: the module, its code ready to map, and the image to write it again. */
    public record Loaded(WasmModule module, MachineCode machineCode, ModuleImage image) {
    }

    // ---------------------------------------------------------------------------------------------- writing

    static byte[] write(ModuleImage image) {
        String buildId = BuildId.require();
        MachineCode code = image.machineCode();
        WasmModule module = image.module();
        List<TypeIdSite> sites = image.sites();
        byte[] machine = code.code();
        byte[] binary = image.binary();
        int imports = module.importedFunctionCount();
        int defined = module.functions().size();
        int types = module.types().size();
        Output out = new Output(HEADER + binary.length + machine.length * 2 + 1024);
        out.bytes(MAGIC);
        out.u32(FORMAT_VERSION);
        out.u32(0);                                      // checksum, below
        out.u64(0);                                      // length, below

        int s = out.beginSection("KEY ");
        out.string(buildId);
        out.string(image.optionsKey());
        Set<IsaExtension> extensions = code.requiredExtensions();
        out.u32(extensions.size());
        for (IsaExtension e : extensions) out.string(e.name());
        out.endSection(s);

        s = out.beginSection("WASM");
        out.bytes(binary);
        out.endSection(s);

        s = out.beginSection("CODE");
        out.bytes(machine);
        out.endSection(s);

        s = out.beginSection("FUNC");
        out.u32(imports);
        out.u32(defined);
        for (int i = 0; i < defined; i++) out.u32(code.functionOffset(imports + i));
        for (int i = 0; i < defined; i++) out.u32(code.functionEnd(imports + i));
        out.endSection(s);

        s = out.beginSection("ADPT");
        out.u32(types);
        for (int t = 0; t < types; t++) out.u32(code.entryAdapterOffset(t));
        for (int t = 0; t < types; t++) out.u32(code.hostAdapterOffset(t));
        out.endSection(s);

        s = out.beginSection("PCMP");
        int[][] pcMap = pcMap(code, machine.length);
        out.u32(pcMap[0].length);
        out.ints(pcMap[0]);
        out.ints(pcMap[1]);
        out.endSection(s);

        s = out.beginSection("UNWD");
        out.u32(defined);
        for (int i = 0; i < defined; i++) {
            FrameUnwind u = code.unwind(imports + i);
            out.u32(u.offsets().length);
            for (int j = 0; j < u.offsets().length; j++) {
                out.u32(u.offsets()[j]);
                out.u64(u.steps()[j]);
            }
        }
        out.endSection(s);

        s = out.beginSection("EXCP");
        out.u32(defined);
        for (int i = 0; i < defined; i++) {
            int[] handlers = code.unwind(imports + i).handlers();
            out.u32(handlers.length);
            out.ints(handlers);
        }
        out.endSection(s);

        s = out.beginSection("TYID");
        out.u32(sites.size());
        for (TypeIdSite site : sites) {
            out.u32(site.offset());
            out.u8(site.width());
            out.u32(site.typeIndex());
        }
        out.endSection(s);

        out.putU64(LENGTH_AT, out.size());
        out.putU32(CHECKSUM_AT, checksum(out.array(), out.size()));
        return out.toByteArray();
    }

    /**
     * The pc → wasm map of {@code code} as (code offsets, wasm offsets): {@link MachineCode} answers only queries,
     * so the map is recovered by asking at every code offset and keeping the offsets where the answer changes
     * (or a new function starts), which is the same map for every query.
     */
    private static int[][] pcMap(MachineCode code, int length) {
        int[] codeOffsets = new int[64];
        int[] wasmOffsets = new int[64];
        int n = 0;
        int lastFunction = -1;
        int lastWasm = -1;
        for (int pc = 0; pc < length; pc++) {
            int function = code.functionAt(pc);
            if (function < 0) {
                lastFunction = -1;
                continue;
            }
            int wasm = code.wasmOffsetAt(pc);
            if (function == lastFunction && wasm == lastWasm) continue;
            lastFunction = function;
            lastWasm = wasm;
            if (wasm < 0) continue;                      // before the function's first instruction: no entry
            if (n == codeOffsets.length) {
                codeOffsets = Arrays.copyOf(codeOffsets, 2 * n);
                wasmOffsets = Arrays.copyOf(wasmOffsets, 2 * n);
            }
            codeOffsets[n] = pc;
            wasmOffsets[n++] = wasm;
        }
        return new int[][] {Arrays.copyOf(codeOffsets, n), Arrays.copyOf(wasmOffsets, n)};
    }

    /** CRC32C of the first {@code length} bytes, without the checksum field. */
    private static int checksum(byte[] file, int length) {
        CRC32C crc = new CRC32C();
        crc.update(file, 0, CHECKSUM_AT);
        crc.update(file, CHECKSUM_AT + 4, length - CHECKSUM_AT - 4);
        return (int) crc.getValue();
    }

    // ---------------------------------------------------------------------------------------------- reading

    /**
     * Reads a code file for an engine with {@code options} on a CPU with {@code cpu}: checks it whole, decodes the
     * module binary it holds (not validated again: see {@code docs/architecture.md}, "Code files"), and returns
     * the machine code with this process's type ids patched in.
     *
     * @throws CodeFileException when it is not a code file, is damaged, or was made for another engine build,
     *         other options or a CPU with features this one lacks
     */
    public static Loaded read(byte[] file, CompilerOptions options, CpuFeatures cpu) {
        header(file);
        Input in = new Input(file, null, HEADER, file.length);

        Input key = in.section("KEY ");
        String buildId = key.string("build id");
        String mine = BuildId.require();
        if (!buildId.equals(mine)) {
            throw new CodeFileException(CodeFileException.Kind.ENGINE_VERSION, "made by another build of Isthmus ("
                    + buildId + "); this is " + mine + ": compile the module again with this one");
        }
        String optionsKey = key.string("options");
        String expected = optionsKey(options);
        if (!optionsKey.equals(expected)) {
            throw new CodeFileException(CodeFileException.Kind.COMPILER_OPTIONS,
                    "compiled with other options than this engine's: " + difference(optionsKey, expected));
        }
        int extensionCount = key.count("extension count", 4);
        Set<IsaExtension> required = EnumSet.noneOf(IsaExtension.class);
        for (int i = 0; i < extensionCount; i++) {
            int at = key.position();
            String name = key.string("extension");
            try {
                required.add(IsaExtension.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw key.corrupt("unknown CPU extension " + name, at);
            }
        }
        key.end();
        if (!cpu.hasAll(required)) {
            StringJoiner missing = new StringJoiner(", ");
            for (IsaExtension e : required) if (!cpu.has(e)) missing.add(e.name());
            throw new CodeFileException(CodeFileException.Kind.CPU_FEATURES, "the code needs CPU features this "
                    + "machine lacks: " + missing + " (compile the module on this machine, or for a smaller CPU with"
                    + " -C has-avx=n where AVX is missing)");
        }

        Input wasm = in.section("WASM");
        int wasmAt = wasm.position();
        byte[] binary = wasm.bytes(wasm.remaining(), "module");
        Input codeSection = in.section("CODE");
        byte[] machine = codeSection.bytes(codeSection.remaining(), "code");
        int length = machine.length;

        Input func = in.section("FUNC");
        int imports = func.count("imported function count");
        int defined = func.count("defined function count", 8);
        int startsAt = func.position();
        int[] starts = func.ints(defined, "function entries");
        int[] ends = func.ints(defined, "function ends");
        func.end();
        for (int i = 0; i < defined; i++) {
            int min = i == 0 ? 0 : ends[i - 1];
            if (starts[i] < min || starts[i] > ends[i] || ends[i] > length) {
                throw new CodeFileException(CodeFileException.Kind.CORRUPT, "function " + (imports + i) + " at ["
                        + starts[i] + ", " + ends[i] + ") is out of order or outside the " + length + " code bytes",
                        "FUNC", startsAt + 4L * i);
            }
        }

        Input adpt = in.section("ADPT");
        int types = adpt.count("type count", 8);
        int adaptersAt = adpt.position();
        int[] entry = adpt.ints(types, "entry adapters");
        int[] host = adpt.ints(types, "host adapters");
        adpt.end();
        for (int t = 0; t < 2 * types; t++) {
            int offset = t < types ? entry[t] : host[t - types];
            if (offset < 0 || offset >= length) {
                throw new CodeFileException(CodeFileException.Kind.CORRUPT, "adapter at " + offset
                        + " is outside the " + length + " code bytes", "ADPT", adaptersAt + 4L * t);
            }
        }

        Input pcmp = in.section("PCMP");
        int pcCount = pcmp.count("pc map size", 8);
        int pcAt = pcmp.position();
        int[] codeOffsets = pcmp.ints(pcCount, "code offsets");
        int[] wasmOffsets = pcmp.ints(pcCount, "wasm offsets");
        pcmp.end();
        for (int i = 0; i < pcCount; i++) {
            if (codeOffsets[i] < (i == 0 ? 0 : codeOffsets[i - 1]) || codeOffsets[i] > length) {
                throw new CodeFileException(CodeFileException.Kind.CORRUPT, "pc map entry " + i + " (code offset "
                        + codeOffsets[i] + ") is out of order or outside the code", "PCMP", pcAt + 4L * i);
            }
            if (wasmOffsets[i] < 0 || wasmOffsets[i] >= binary.length) {
                throw new CodeFileException(CodeFileException.Kind.CORRUPT, "pc map entry " + i + " (wasm offset "
                        + wasmOffsets[i] + ") is outside the module", "PCMP", pcAt + 4L * (pcCount + i));
            }
        }

        Input unwd = in.section("UNWD");
        int unwindCount = unwd.count("unwind table count", 4);
        if (unwindCount != defined) {
            throw unwd.corrupt(unwindCount + " unwind tables for " + defined + " functions");
        }
        FrameUnwind[] unwinds = new FrameUnwind[defined];
        for (int i = 0; i < defined; i++) {
            int n = unwd.count("unwind table size", 12);
            if (n == 0) throw unwd.corrupt("empty unwind table of function " + (imports + i));
            int[] offsets = new int[n];
            long[] steps = new long[n];
            int size = ends[i] - starts[i];
            for (int j = 0; j < n; j++) {
                int at = unwd.position();
                offsets[j] = unwd.u32("unwind offset");
                steps[j] = unwd.u64("unwind step");
                if (offsets[j] < (j == 0 ? 0 : offsets[j - 1]) || offsets[j] > size) {
                    throw unwd.corrupt("unwind offset " + offsets[j] + " of function " + (imports + i)
                            + " is out of order or outside its " + size + " bytes", at);
                }
                long cfa = FrameUnwind.cfaOffset(steps[j]);
                if (steps[j] < 0 || cfa < 8 || cfa > Integer.MAX_VALUE || (cfa & 7) != 0) {
                    throw unwd.corrupt("unwind step 0x" + Long.toHexString(steps[j]) + " of function "
                            + (imports + i) + " is not a frame description", at + 4);
                }
            }
            unwinds[i] = new FrameUnwind(offsets, steps);
        }
        unwd.end();

        Input excp = in.section("EXCP");
        int handlerCount = excp.count("handler table count", 4);
        if (handlerCount != defined) {
            throw excp.corrupt(handlerCount + " handler tables for " + defined + " functions");
        }
        int[][] handlerTables = new int[defined][];
        int[] handlerTablesAt = new int[defined];
        for (int i = 0; i < defined; i++) {
            int n = excp.count("handler table size", 4);
            handlerTablesAt[i] = excp.position();
            handlerTables[i] = excp.ints(n, "handler table");
            checkHandlers(handlerTables[i], imports + i, ends[i] - starts[i], excp, handlerTablesAt[i]);
            if (n > 0) unwinds[i] = unwinds[i].withHandlers(handlerTables[i]);
        }
        excp.end();

        Input tyid = in.section("TYID");
        int siteCount = tyid.count("type-id site count", 9);
        List<TypeIdSite> sites = new ArrayList<>(siteCount);
        for (int i = 0; i < siteCount; i++) {
            int at = tyid.position();
            int offset = tyid.u32("site offset");
            int width = tyid.u8("site width");
            int typeIndex = tyid.u32("site type");
            if (width != 1 && width != 4) throw tyid.corrupt("type-id site width " + width, at + 4);
            if (offset < 0 || offset > length - width) {
                throw tyid.corrupt("type-id site at " + offset + " is outside the code", at);
            }
            if (typeIndex < 0 || typeIndex >= types) {
                throw tyid.corrupt("type-id site type " + typeIndex + " is not one of the " + types + " types", at + 5);
            }
            sites.add(new TypeIdSite(offset, width, typeIndex));
        }
        tyid.end();
        in.end();

        WasmModule module;
        try {
            module = ModuleDecoder.decode(binary);
        } catch (ModuleRejection e) {
            throw new CodeFileException(CodeFileException.Kind.CORRUPT, "the module it holds does not decode: "
                    + e.getMessage(), "WASM", e.offset() >= 0 ? wasmAt + e.offset() : wasmAt);
        } catch (RuntimeException e) {                   // the decoder's own failure: still a refusal of the file
            CodeFileException refusal = new CodeFileException(CodeFileException.Kind.CORRUPT,
                    "the module it holds does not decode: " + e, "WASM", wasmAt);
            refusal.initCause(e);
            throw refusal;
        }
        if (module.importedFunctionCount() != imports || module.functions().size() != defined
                || module.types().size() != types || module.codes().size() != defined) {
            throw new CodeFileException(CodeFileException.Kind.CORRUPT, "the code is for " + imports
                    + " imported and " + defined + " defined functions of " + types + " types; the module has "
                    + module.importedFunctionCount() + ", " + module.functions().size() + " and "
                    + module.types().size(), "FUNC", -1);
        }

        int tags = module.tagCount();
        for (int i = 0; i < defined; i++) checkHandlerTags(handlerTables[i], imports + i, tags, handlerTablesAt[i]);

        patchTypeIds(module, machine, sites);
        int[] imm32Sites = sites.stream().filter(site -> site.width() == 4)
                .flatMapToInt(site -> java.util.stream.IntStream.of(site.offset(), site.typeIndex())).toArray();
        MachineCode code = new MachineCode(machine, imports, starts, ends, entry, host, codeOffsets, wasmOffsets,
                unwinds, required, options.fuel(), imm32Sites);
        return new Loaded(module, code, new ModuleImage(module, binary, code, optionsKey, List.copyOf(sites)));
    }

    /**
     * The shape of a handler table ({@link FrameUnwind#handlers()}), whatever the tier that made it: its entries
     * fill it exactly ({@code start, end, count, (kind, tag, pad) × count}), each range and landing pad lies inside
     * the function's code, each clause kind is known, and a {@code DELEGATE} clause is its range's last and names
     * the caller (-1) or a range listed after its own (so that the dispatch's search always ends).
     */
    private static void checkHandlers(int[] table, int function, int size, Input in, int at) {
        int entries = 0;
        for (int i = 0; i < table.length; entries++) {
            if (table.length - i < 3 || table[i + 2] < 0 || table[i + 2] > (table.length - i - 3) / 3) {
                throw in.corrupt("handler table of function " + function + ": range " + entries
                        + " does not fit in the table", at + 4L * (table.length - i < 3 ? i : i + 2));
            }
            i += 3 + 3 * table[i + 2];
        }
        int entry = 0;
        for (int i = 0; i < table.length; entry++) {
            int start = table[i], end = table[i + 1], count = table[i + 2];
            if (start < 0 || start > end || end > size) {
                throw in.corrupt("handler table of function " + function + ": range " + entry + " [" + start + ", "
                        + end + ") is not inside its " + size + " bytes", at + 4L * (start < 0 ? i : i + 1));
            }
            for (int c = 0; c < count; c++) {
                int k = i + 3 + 3 * c;
                int kind = table[k], tag = table[k + 1], pad = table[k + 2];
                if (kind == FrameUnwind.DELEGATE) {
                    if (c != count - 1 || tag < -1 || tag == entry || (tag >= 0 && (tag < entry || tag >= entries))) {
                        throw in.corrupt("handler table of function " + function + ": range " + entry
                                + " delegates to " + tag + " (the last clause must name -1 or a later one of the "
                                + entries + " ranges)", at + 4L * (k + 1));
                    }
                    continue;
                }
                if (kind < FrameUnwind.CATCH || kind > FrameUnwind.CATCH_ALL_REF) {
                    throw in.corrupt("handler table of function " + function + ": clause kind " + kind,
                            at + 4L * k);
                }
                if (pad < 0 || pad >= size) {
                    throw in.corrupt("handler table of function " + function + ": landing pad " + pad
                            + " is not inside its " + size + " bytes", at + 4L * (k + 2));
                }
            }
            i += 3 + 3 * count;
        }
    }

    /** The tags a handler table's catch clauses name are the module's (checked once it is decoded). */
    private static void checkHandlerTags(int[] table, int function, int tags, int at) {
        for (int i = 0; i < table.length; i += 3 + 3 * table[i + 2]) {
            for (int c = 0; c < table[i + 2]; c++) {
                int k = i + 3 + 3 * c;
                int kind = table[k];
                if ((kind == FrameUnwind.CATCH || kind == FrameUnwind.CATCH_REF)
                        && (table[k + 1] < 0 || table[k + 1] >= tags)) {
                    throw new CodeFileException(CodeFileException.Kind.CORRUPT, "handler table of function "
                            + function + ": tag " + table[k + 1] + " is not one of the module's " + tags + " tags",
                            "EXCP", at + 4L * (k + 1));
                }
            }
        }
    }

    /** Magic, format version, length and checksum: the whole file is intact before any part of it is used. */
    private static void header(byte[] file) {
        for (int i = 0; i < Math.min(file.length, MAGIC.length); i++) {
            if (file[i] != MAGIC[i]) {
                throw new CodeFileException(CodeFileException.Kind.NOT_A_CODE_FILE,
                        "not a code file (it does not start with \\0isthmus)", null, i);
            }
        }
        if (file.length < HEADER) {
            throw new CodeFileException(CodeFileException.Kind.CORRUPT, "truncated: " + file.length
                    + " bytes, shorter than the " + HEADER + "-byte header", null, file.length);
        }
        int version = TypeIdSites.le32(file, MAGIC.length);
        if (version != FORMAT_VERSION) {
            throw new CodeFileException(CodeFileException.Kind.ENGINE_VERSION, "format version "
                    + Integer.toUnsignedString(version) + "; this engine reads version " + FORMAT_VERSION, null, 8);
        }
        long declared = (TypeIdSites.le32(file, LENGTH_AT) & 0xFFFFFFFFL)
                | (long) TypeIdSites.le32(file, LENGTH_AT + 4) << 32;
        if (declared != file.length) {
            throw new CodeFileException(CodeFileException.Kind.CORRUPT, (declared > file.length ? "truncated: "
                    : "trailing bytes: ") + file.length + " bytes where the header says " + Long.toUnsignedString(
                    declared), null, Math.min(file.length, Math.max(declared, 0)));
        }
        int stored = TypeIdSites.le32(file, CHECKSUM_AT);
        int actual = checksum(file, file.length);
        if (stored != actual) {
            throw new CodeFileException(CodeFileException.Kind.CORRUPT, "checksum mismatch (CRC32C "
                    + Integer.toHexString(actual) + ", the header says " + Integer.toHexString(stored)
                    + "): the file is damaged", null, CHECKSUM_AT);
        }
    }

    /**
     * Writes this process's canonical id of each site's type into the code. The module's types are registered in
     * the order of their sites' ids in the file first, so that in a process that has seen no other types they get
     * ids no larger than the file's (an imm8 site keeps fitting).
     */
    private static void patchTypeIds(WasmModule module, byte[] code, List<TypeIdSite> sites) {
        List<TypeIdSite> byOldId = new ArrayList<>(sites);
        byOldId.sort(Comparator.comparingLong(site -> site.width() == 1 ? code[site.offset()] & 0xFF
                : TypeIdSites.le32(code, site.offset()) & 0xFFFFFFFFL));
        Map<Integer, Integer> ids = new LinkedHashMap<>();
        for (TypeIdSite site : byOldId) {
            ids.computeIfAbsent(site.typeIndex(), t -> TypeIds.of(module, t));
        }
        for (TypeIdSite site : sites) {
            int id = ids.get(site.typeIndex());
            if (site.width() == 1) {                           // not written any more (ids are imm32), kept readable
                if (id >= 128) {
                    throw new CodeFileException(CodeFileException.Kind.TYPE_IDS, "its call_indirect checks hold "
                            + "8-bit type ids, and this process already gave the type " + module.types().get(
                            site.typeIndex()) + " the id " + id + " (it has seen more than 127 function types): "
                            + "load it in a process that has seen fewer types, or compile the module");
                }
                code[site.offset()] = (byte) id;
            } else {
                code[site.offset()] = (byte) id;
                code[site.offset() + 1] = (byte) (id >>> 8);
                code[site.offset() + 2] = (byte) (id >>> 16);
                code[site.offset() + 3] = (byte) (id >>> 24);
            }
        }
    }

    /** The words of two options keys that differ: {@code tier=baseline (this engine: tier=optimizing)}. */
    private static String difference(String file, String engine) {
        Map<String, String> a = words(file);
        Map<String, String> b = words(engine);
        StringJoiner out = new StringJoiner(", ");
        for (Map.Entry<String, String> e : a.entrySet()) {
            String other = b.get(e.getKey());
            if (!e.getValue().equals(other)) {
                out.add(e.getKey() + "=" + e.getValue() + " (this engine: " + (other == null ? "none" : e.getKey() + "="
                        + other) + ")");
            }
        }
        for (String k : b.keySet()) if (!a.containsKey(k)) out.add(k + " missing (this engine: " + k + "=" + b.get(k) + ")");
        return out.length() == 0 ? "'" + file + "'" : out.toString();
    }

    private static Map<String, String> words(String key) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String w : key.split(" ")) {
            int eq = w.indexOf('=');
            m.put(eq < 0 ? w : w.substring(0, eq), eq < 0 ? "" : w.substring(eq + 1));
        }
        return m;
    }
}
