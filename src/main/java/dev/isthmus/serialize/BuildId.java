package dev.isthmus.serialize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The engine build that wrote or reads a code file: {@code VERSION BUILD-TIME}, written into the classes by the
 * build (Maven resource filtering of {@code src/main/resources/dev/isthmus/serialize/build-id}: the project version
 * and the UTC time the build started, to the millisecond). Every build is a different engine: code files are loaded
 * only by the very build (jar, or classes directory) that wrote them, as wasmtime accepts {@code .cwasm} files only
 * from its own version. A content hash of the classes would let identical rebuilds share files, but needs a build
 * plugin that the offline build here does not have; a time is never shared by two different builds.
 */
public final class BuildId {
    private BuildId() {
    }

    private static final String RESOURCE = "build-id";

    /** This engine's build id; null when the classes carry none (compiled outside Maven: no code files then). */
    public static String current() {
        return Holder.ID;
    }

    private static final class Holder {
        static final String ID = read();
    }

    private static String read() {
        try (InputStream in = BuildId.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return null;
            String id = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            // an unfiltered resource (the build did not process it) is no id
            return id.isEmpty() || id.contains("${") ? null : id;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@link #current()}, or the reason code files cannot be made or read by these classes. */
    static String require() {
        String id = current();
        if (id == null) {
            throw new CodeFileException(CodeFileException.Kind.NOT_SERIALIZABLE, "this engine has no build id (its "
                    + "classes were not built by Maven, which writes dev/isthmus/serialize/build-id): it cannot "
                    + "write or read code files");
        }
        return id;
    }
}
