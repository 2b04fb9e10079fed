package dev.isthmus.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process with captured output, for the CLI tests. */
final class CliRun {
    private CliRun() {
    }

    /** What a run of {@code isthmus ARGS} gave: its exit status and everything it printed. */
    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Writes {@code wat} to {@code dir/name} and returns the file's path. */
    static String module(Path dir, String name, String wat) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, wat);
        return file.toString();
    }
}
