package dev.isthmus.cli;

import dev.isthmus.model.WasmVersion;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.wast.CommandResult;
import dev.isthmus.wast.FileReport;
import dev.isthmus.wast.IsthmusFrontEnd;
import dev.isthmus.wast.JsonReport;
import dev.isthmus.wast.ScriptFile;
import dev.isthmus.wast.SuiteRunner;
import dev.isthmus.wast.Tally;
import dev.isthmus.wast.WastRunner;
import dev.isthmus.wast.engine.IsthmusEngine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code isthmus wast [--report FILE.json] [--wasm-version 2.0|3.0] FILE.wast|DIR ...}: runs WebAssembly spec test scripts and prints one
 * line per script ({@code file: P passed, F failed, S skipped}) and a final total line
 * ({@code N passed, M failed, K skipped}). Directories stand for every {@code .wast} file below them. The front end
 * applies the 2.0 rules to scripts below a directory named {@code wasm-2*} and the 3.0 rules to the others, unless
 * {@code --wasm-version} says which (see {@link WasmVersion}).
 * Exit status: 0 when no command failed, 1 when some did, 2 for a usage error.
 */
public final class WastCommand {
    private static final String USAGE = "usage: isthmus wast [--report FILE.json] [--wasm-version 2.0|3.0] [OPTIONS]"
            + " FILE.wast|DIR ...\n"
            + "  --wasm-version 2.0|3.0              the front end's rules where 2.0 and 3.0 disagree (default: 2.0 for\n"
            + "                                      scripts below a directory named wasm-2*, else 3.0)\n"
            + CompilerFlags.USAGE;

    private WastCommand() {}

    /** For running without the {@code isthmus} launcher: {@code java dev.isthmus.cli.WastCommand ...}. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command with standard output and error; returns the exit status. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** Runs the command, printing results to {@code out} and usage errors to {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path report = null;
        WasmVersion version = null;
        List<Path> inputs = new ArrayList<>();
        CompilerOptions options = CompilerOptions.DEFAULT;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("-C") && args[i].length() > 2) {            // -Ckey=value, as clap allows
                try {
                    options = CompilerFlags.apply(options, "-C", args[i].substring(2));
                } catch (UsageException e) {
                    return usage(err, e.getMessage());
                }
                continue;
            }
            if (CompilerFlags.isFlag(args[i])) {
                if (i + 1 >= args.length) return usage(err, args[i] + " needs a value");
                try {
                    options = CompilerFlags.apply(options, args[i], args[++i]);
                } catch (UsageException e) {
                    return usage(err, e.getMessage());
                }
                continue;
            }
            switch (args[i]) {
                case "--report" -> {
                    if (i + 1 >= args.length) return usage(err, "--report needs a file name");
                    report = Path.of(args[++i]);
                }
                case "--wasm-version" -> {
                    if (i + 1 >= args.length) return usage(err, "--wasm-version needs a value");
                    try {
                        version = WasmVersion.parse(args[++i]);
                    } catch (IllegalArgumentException e) {
                        return usage(err, e.getMessage());
                    }
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("-")) return usage(err, "unknown option " + args[i]);
                    inputs.add(Path.of(args[i]));
                }
            }
        }
        if (inputs.isEmpty()) return usage(err, "no script given");
        List<ScriptFile> scripts;
        try {
            scripts = ScriptFile.collect(inputs);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }

        List<FileReport> reports = new ArrayList<>();
        Tally total = new Tally();
        try (IsthmusEngine engine = new IsthmusEngine(RunCommand.engine(options))) {
            Map<WasmVersion, SuiteRunner> runners = new EnumMap<>(WasmVersion.class);
            for (ScriptFile script : scripts) {
                WasmVersion v = version != null ? version : IsthmusFrontEnd.versionOf(script.path());
                SuiteRunner runner = runners.computeIfAbsent(v, x -> {
                    IsthmusFrontEnd frontEnd = new IsthmusFrontEnd(x);
                    return new SuiteRunner(frontEnd, new WastRunner(frontEnd, engine));
                });
                FileReport r = runner.run(script);
                reports.add(r);
                for (CommandResult failure : r.failures()) {
                    out.println(failure.location() + ": " + failure.kind().text() + ": "
                            + failure.message().strip().replaceAll("\\s*\\R\\s*", " "));
                }
                total.add(r.tally());
                out.println(r.summaryLine());
            }
        }
        out.println(total);
        if (report != null) {
            try {
                Files.writeString(report, JsonReport.write(reports));
            } catch (IOException e) {
                return Main.fail(err, Main.FAILURE, "wast: cannot write " + report + ": " + e);
            }
        }
        return total.failed() == 0 ? 0 : 1;
    }

    private static int usage(PrintStream err, String problem) {
        return Main.fail(err, Main.USAGE, "wast: " + problem + " (see 'isthmus wast --help')");
    }
}
