package dev.isthmus.cli;

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
import java.util.List;

/**
 * {@code isthmus wast [--report FILE.json] [--wasm-version 2.0|3.0] FILE.wast|DIR ...}: runs WebAssembly spec test scripts and prints one
 * line per script ({@code file: P passed, F failed, S skipped}) and a final total line
 * ({@code N passed, M failed, K skipped}). Directories stand for every {@code .wast} file below them.
 * Exit status: 0 when no command failed, 1 when some did, 2 for a usage error.
 */
public final class WastCommand {
    private static final String USAGE = "usage: isthmus wast [--report FILE.json] [--wasm-version 2.0|3.0] [OPTIONS] "
            + "FILE.wast|DIR ...\n"
            + "  --wasm-version 2.0  the Wasm 2.0 rules where 3.0 differs (one memory at most), as the 2.0 suite expects\n"
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
        List<Path> inputs = new ArrayList<>();
        CompilerOptions options = CompilerOptions.DEFAULT;
        boolean multiMemory = true;
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
                    if (i + 1 >= args.length) return usage(err, "--wasm-version needs 2.0 or 3.0");
                    String version = args[++i];
                    if (!version.equals("2.0") && !version.equals("3.0")) {
                        return usage(err, "--wasm-version: 2.0 or 3.0, not " + version);
                    }
                    multiMemory = version.equals("3.0");
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

        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd(multiMemory);
        List<FileReport> reports = new ArrayList<>();
        Tally total = new Tally();
        try (IsthmusEngine engine = new IsthmusEngine(RunCommand.engine(options))) {
            SuiteRunner runner = new SuiteRunner(frontEnd, new WastRunner(frontEnd, engine));
            for (ScriptFile script : scripts) {
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
