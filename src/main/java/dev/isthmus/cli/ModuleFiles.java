package dev.isthmus.cli;

import dev.isthmus.Isthmus;
import dev.isthmus.tooling.Tooling;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading a module file for a command: every problem is a one-line {@link CommandFailure} naming the file. */
final class ModuleFiles {
    private ModuleFiles() {
    }

    /**
     * The bytes of {@code file}, whatever its name says, once their content is known to be the binary or the text
     * format (see {@link Tooling#notAModule}).
     */
    static byte[] read(Path file) {
        byte[] bytes = readBytes(file);
        String problem = Tooling.notAModule(bytes);
        if (problem != null) throw new CommandFailure(Main.FAILURE, file + ": " + problem);
        return bytes;
    }

    /** As {@link #read}, also taking a code file ({@code isthmus compile}'s output, {@link Isthmus#isCodeFile}). */
    static byte[] readModuleOrCodeFile(Path file) {
        byte[] bytes = readBytes(file);
        if (Isthmus.isCodeFile(bytes)) return bytes;
        String problem = Tooling.notAModule(bytes);
        if (problem != null) throw new CommandFailure(Main.FAILURE, file + ": " + problem);
        return bytes;
    }

    private static byte[] readBytes(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CommandFailure(Main.FAILURE, file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new CommandFailure(Main.FAILURE, file + ": permission denied");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new CommandFailure(Main.FAILURE, file + ": is a directory, not a module file");
            }
            throw new CommandFailure(Main.FAILURE, file + ": cannot read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new CommandFailure(Main.FAILURE, file + ": too large to read");
        }
        return bytes;
    }
}
