package dev.isthmus.cli;

import dev.isthmus.UninstantiableException;
import dev.isthmus.WasmException;
import dev.isthmus.WasmFrame;
import dev.isthmus.WasmTrap;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code isthmus} command line: {@code java -jar isthmus.jar COMMAND [args...]}.
 *
 * <pre>
 *   isthmus demo [ackermann M N | fib N]   run functions hand-assembled by Isthmus's x86-64 assembler
 *   isthmus run [OPTIONS] [--] MODULE [ARGS...]   run a WASI command (_start) or reactor, or call an export (--invoke)
 *   isthmus compile [OPTIONS] MODULE [-o OUT.ism]   write the compiled module as a code file, for run
 *   isthmus explore MODULE [-o OUT.html]     each function's wasm beside its x86-64 code, as HTML
 *   isthmus wast [--report FILE.json] FILE.wast|DIR ...   run spec test scripts
 *   isthmus version | help
 * </pre>
 *
 * <p>Every failure is one line on standard error that starts {@code isthmus: } (never a Java stack trace), and a
 * non-zero exit status:
 * <ul>
 * <li>{@value #FAILURE}: the command failed: a file that cannot be read, a module that is malformed, invalid,
 *     unsupported, unlinkable or exceeds a resource limit, an export that is not there, failed spec commands;</li>
 * <li>{@value #USAGE}: the command line is wrong (unknown command or option, missing or bad value, wrong number or
 *     type of {@code --invoke} arguments);</li>
 * <li>{@value #INTERNAL_ERROR}: an internal error of Isthmus (a bug: the line names the Java exception);</li>
 * <li>{@value #TRAP}: the wasm code trapped, also in a start function ({@code isthmus run}: 128 + SIGABRT, as
 *     wasmtime on Unix); a WASI program that calls {@code proc_exit} exits with its code.</li>
 * </ul>
 */
public final class Main {
    private Main() {}

    /** Exit status: the command failed. */
    public static final int FAILURE = 1;
    /** Exit status: the command line is wrong. */
    public static final int USAGE = 2;
    /** Exit status: an internal error (a bug in Isthmus). */
    public static final int INTERNAL_ERROR = 3;
    /** Exit status: the wasm code trapped (wasmtime's on Unix: 128 + SIGABRT). */
    public static final int TRAP = 134;
    /** At most this many frames of a trap's wasm backtrace go on its line. */
    private static final int FRAMES_SHOWN = 8;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command and returns its exit status; a failure is one line on {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("isthmus: no command given (see 'isthmus help')");
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "demo" -> DemoCommand.run(rest, out, err);
                case "run" -> RunCommand.run(rest, out, err);
                case "compile" -> CompileCommand.run(rest, out, err);
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
                default -> throw new CommandFailure(USAGE, "unknown command '" + args[0] + "' (see 'isthmus help')");
            };
        } catch (UsageException e) {
            return fail(err, USAGE, args[0] + ": " + e.getMessage() + " (see 'isthmus " + args[0] + " --help')");
        } catch (CommandFailure e) {
            return fail(err, e.status(), e.getMessage());
        } catch (WasmException e) {
            return fail(err, e instanceof WasmTrap ? TRAP : FAILURE, describe(e));
        } catch (OutOfMemoryError e) {
            return fail(err, FAILURE, "out of memory" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (StackOverflowError e) {
            return fail(err, INTERNAL_ERROR, "internal error: the Java stack overflowed");
        } catch (RuntimeException | Error e) {
            return fail(err, INTERNAL_ERROR, "internal error: " + e);
        }
    }

    /** Prints {@code isthmus: MESSAGE} as one line (line breaks in the message become spaces). */
    static int fail(PrintStream err, int status, String message) {
        err.println("isthmus: " + message.strip().replaceAll("\\s*\\R\\s*", " "));
        err.flush();
        return status;
    }

    /** One line for an API exception: a trap with its wasm backtrace (at most {@value #FRAMES_SHOWN} frames). */
    static String describe(WasmException e) {
        return switch (e) {
            case WasmTrap trap -> describe(trap);
            case UninstantiableException u when u.trap() != null ->
                    "instantiation failed: " + describe(u.trap());
            case UninstantiableException u -> "instantiation failed: " + u.getMessage();
            default -> e.getMessage();
        };
    }

    /** {@code wasm trap: MESSAGE; wasm backtrace: 0: $f @ 0x2a, 1: <func 3> @ 0x40}. */
    static String describe(WasmTrap trap) {
        StringBuilder line = new StringBuilder("wasm trap: ").append(trap.getMessage());
        List<WasmFrame> frames = trap.backtrace();
        for (int i = 0; i < frames.size() && i < FRAMES_SHOWN; i++) {
            line.append(i == 0 ? "; wasm backtrace: " : ", ").append(frames.get(i));
        }
        if (frames.size() > FRAMES_SHOWN) line.append(", ... ").append(frames.size() - FRAMES_SHOWN)
                .append(" more frames");
        return line.toString();
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static void usage(PrintStream s) {
        s.println("""
                usage: isthmus COMMAND [ARGS...]
                  demo [ackermann M N | fib N]    run code hand-assembled by Isthmus's x86-64 assembler
                  run [--invoke NAME] [-W KEY=VALUE] [OPTIONS] [--] MODULE.wasm|MODULE.wat|MODULE.ism [ARGS...]
                                                  run a WASI command (_start) or reactor (_initialize), or call
                                                  an export; -W timeout=DURATION, max-wasm-stack=BYTES; run --help
                  compile [OPTIONS] MODULE.wasm|MODULE.wat [-o OUT.ism]
                                                  compile once, write a code file that run loads without compiling
                  explore [OPTIONS] MODULE.wasm|MODULE.wat [-o OUT.html]
                                                  each function's wasm beside its x86-64 code (needs Zydis)
                  wast [--report FILE.json] [OPTIONS] FILE.wast|DIR ...
                                                  run WebAssembly spec test scripts
                  version                         print the version
                  help                            print this text

                exit status: 0 success, 1 failure, 2 usage error, 3 internal error, 134 wasm trap
                (run: a WASI program's proc_exit code); a failure is one line on standard error

                compiler OPTIONS of run, compile, explore and wast:""");
        s.println(CompilerFlags.USAGE);
    }
}
