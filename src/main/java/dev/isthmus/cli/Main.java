package dev.isthmus.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code isthmus} command line: {@code java -jar isthmus.jar COMMAND [args...]}.
 *
 * <pre>
 *   isthmus demo [ackermann M N | fib N]   run functions hand-assembled by Isthmus's x86-64 assembler
 *   isthmus run [OPTIONS] MODULE [ARGS...]   run a WASI command (_start) or call an export (--invoke)
 *   isthmus explore MODULE [-o OUT.html]     each function's wasm beside its x86-64 code, as HTML
 *   isthmus wast [--report FILE.json] FILE.wast|DIR ...   run spec test scripts
 *   isthmus version | help
 * </pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command and returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(err);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "demo" -> DemoCommand.run(rest, out, err);
                case "run" -> RunCommand.run(rest, out, err);
                case "explore" -> ExploreCommand.run(rest, out, err);
                case "wast" -> WastCommand.run(rest, out, err);
                case "version", "--version" -> {
                    out.println("isthmus " + version());
                    yield 0;
                }
                case "help", "--help", "-h" -> {
                    usage(out);
                    yield 0;
                }
                default -> {
                    err.println("isthmus: unknown command '" + args[0] + "'");
                    usage(err);
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println("isthmus " + args[0] + ": " + e.getMessage());
            return 2;
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static void usage(PrintStream s) {
        s.println("""
                usage: isthmus COMMAND [ARGS...]
                  demo [ackermann M N | fib N]    run code hand-assembled by Isthmus's x86-64 assembler
                  run [--invoke NAME] [OPTIONS] MODULE.wasm|MODULE.wat [ARGS...]
                                                  run a WASI command (_start) or call an export; run --help
                  explore [OPTIONS] MODULE.wasm|MODULE.wat [-o OUT.html]
                                                  each function's wasm beside its x86-64 code (needs Zydis)
                  wast [--report FILE.json] [OPTIONS] FILE.wast|DIR ...
                                                  run WebAssembly spec test scripts
                  version                         print the version
                  help                            print this text

                compiler OPTIONS of run, explore and wast:""");
        s.println(CompilerFlags.USAGE);
    }
}
