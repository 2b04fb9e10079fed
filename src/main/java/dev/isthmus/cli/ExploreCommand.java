package dev.isthmus.cli;

import dev.isthmus.options.CompilerOptions;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.explore.ExploreHtml;
import dev.isthmus.explore.Explorer;
import dev.isthmus.explore.FunctionListing;
import dev.isthmus.WasmException;
import dev.isthmus.model.WasmModule;
import dev.isthmus.tooling.MachineListing;
import dev.isthmus.tooling.Tooling;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code isthmus explore [COMPILER FLAGS] MODULE.wasm|.wat [-o OUT.html]} (flags: {@link CompilerFlags}, so every
 * prologue variant can be looked at): compiles the module and writes a self-contained HTML page with each
 * function's wasm beside its x86-64 disassembly, instructions linked both ways (see {@link ExploreHtml}). The default output is the module's
 * file name with {@code .html} in place of its extension. Needs Zydis 4.0 ({@code libZydis.so.4.0}); without it the
 * command says how to install it and exits 1. Exit status: 0 written, 1 failure, 2 usage error (one line on standard
 * error: {@link Main}).
 */
public final class ExploreCommand {
    /** The message when {@code libZydis.so.4.0} cannot be loaded. */
    public static final String NEEDS_ZYDIS = "isthmus explore needs Zydis 4.0: apt-get install libzydis4.0";
    private static final String USAGE = "usage: isthmus explore [OPTIONS] MODULE.wasm|MODULE.wat [-o OUT.html]\n"
            + "  --text [FUNC]                       print a plain-text listing to standard output instead (every\n"
            + "                                      function, or only FUNC: its index or its name)\n"
            + CompilerFlags.USAGE;

    private ExploreCommand() {}

    /** Runs the command, printing the output file to {@code out} and errors to {@code err}; returns the status. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Path input = null;
        Path output = null;
        boolean text = false;
        String only = null;
        CompilerOptions options = CompilerOptions.DEFAULT;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("-C") && args[i].length() > 2) {            // -Ckey=value, as clap allows
                options = CompilerFlags.apply(options, "-C", args[i].substring(2));
                continue;
            }
            switch (args[i]) {
                case "-o" -> output = Path.of(value(args, ++i, "-o"));
                case "--text" -> {
                    text = true;
                    if (i + 2 < args.length && !args[i + 1].startsWith("-")) only = args[++i];
                }
                case "--tier", "--bounds-checks", "--stack-check", "--frame-pointer", "--align", "-C", "--codegen" ->
                        options = CompilerFlags.apply(options, args[i], value(args, ++i, args[i - 1]));
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("-")) throw new UsageException("unknown option " + args[i]);
                    if (input != null) throw new UsageException("more than one module given");
                    input = Path.of(args[i]);
                }
            }
        }
        if (input == null) throw new UsageException("no module given");
        if (output == null) output = defaultOutput(input);

        WasmModule module;
        MachineListing code;
        try {
            module = Tooling.decode(binary(ModuleFiles.read(input)));
            Tooling.validate(module);
            code = Tooling.compile(module, options);
        } catch (WasmException e) {
            throw new CommandFailure(Main.FAILURE, input + ": " + e.getMessage());
        }
        Disassembler zydis;
        try {
            zydis = Disassembler.open();
        } catch (Disassembler.UnavailableException e) {
            throw new CommandFailure(Main.FAILURE, NEEDS_ZYDIS.substring("isthmus ".length()) + " ("
                    + e.getMessage() + ")");
        }
        String html;
        try (zydis) {
            List<FunctionListing> listings = Explorer.listings(module, code, zydis);
            if (text) {
                boolean found = false;
                for (FunctionListing f : listings) {
                    if (only != null && !only.equals(String.valueOf(f.index())) && !only.equals(f.name())) continue;
                    found = true;
                    out.print(f.text());
                }
                if (!found) throw new CommandFailure(Main.FAILURE, input + ": no function " + only);
                return 0;
            }
            html = ExploreHtml.render(input.getFileName().toString(), listings, null);
        }
        try {
            Files.writeString(output, html);
        } catch (IOException e) {
            throw new CommandFailure(Main.FAILURE, "cannot write " + output + ": " + e);
        }
        out.println(output);
        return 0;
    }

    /** The binary module: {@code bytes} themselves, or the text format compiled with its {@code $names} kept. */
    private static byte[] binary(byte[] bytes) {
        return Tooling.isBinary(bytes) ? bytes : Tooling.watToBinary(new String(bytes, StandardCharsets.UTF_8), true);
    }

    /** {@code dir/name.wasm} becomes {@code dir/name.html}. */
    static Path defaultOutput(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return input.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".html");
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) throw new UsageException(option + " needs a value");
        return args[i];
    }
}
