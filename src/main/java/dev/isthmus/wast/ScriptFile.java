package dev.isthmus.wast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code .wast} script to run and the name it is reported under: the file name, or for a script found in a
 * directory its path relative to that directory ({@code legacy/throw.wast}), so names stay unique.
 */
public record ScriptFile(Path path, String name) {

    /**
     * The scripts named by {@code paths}: a file stands for itself, a directory for every {@code *.wast} below it
     * (sorted by name, subdirectories included). Paths that do not exist are an error.
     */
    public static List<ScriptFile> collect(List<Path> paths) {
        List<ScriptFile> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".wast"))
                            .map(f -> new ScriptFile(f, p.relativize(f).toString().replace('\\', '/')))
                            .sorted(Comparator.comparing(ScriptFile::name))
                            .forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(new ScriptFile(p, p.getFileName().toString()));
            } else {
                throw new IllegalArgumentException("no such file or directory: " + p);
            }
        }
        return out;
    }
}
