package dev.isthmus.runtime.code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads {@code /proc/self/maps}: which mapping covers an address, with what permissions. */
final class ProcMaps {
    private ProcMaps() {
    }

    /** One line of /proc/self/maps: {@code start-end perms ...}. */
    record Mapping(long start, long end, String permissions) {
        boolean contains(long address) {
            return address >= start && address < end;
        }
    }

    static List<Mapping> read() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().map(ProcMaps::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mapping that covers {@code address}, or {@code null} when nothing is mapped there. */
    static Mapping covering(long address) {
        return read().stream().filter(m -> m.contains(address)).findFirst().orElse(null);
    }

    private static Mapping parse(String line) {
        String[] fields = line.split("\\s+", 3);
        String[] bounds = fields[0].split("-");
        return new Mapping(Long.parseUnsignedLong(bounds[0], 16), Long.parseUnsignedLong(bounds[1], 16), fields[1]);
    }
}
