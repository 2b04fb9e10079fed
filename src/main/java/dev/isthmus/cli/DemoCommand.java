package dev.isthmus.cli;

import dev.isthmus.demo.Demo;

import java.io.PrintStream;

/** {@code isthmus demo [ackermann M N | fib N | listing]}: runs functions hand-assembled with Isthmus's assembler. */
final class DemoCommand {
    private DemoCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        String result;
        try {
            result = Demo.run(args);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        out.print(result);
        return 0;
    }
}
