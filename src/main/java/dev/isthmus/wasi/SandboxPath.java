package dev.isthmus.wasi;

import java.nio.file.Path;
import java.util.List;

/**
 * A place inside a preopened directory: the preopen's host root and the components below it. Built only by
 * {@link PathResolver}, so the components never contain "." or ".." and never leave the root:
 *
 * <pre>
 *   root = /tmp/x/fs-tests.dir      parts = [dir, nested]      host() = /tmp/x/fs-tests.dir/dir/nested
 * </pre>
 */
record SandboxPath(Path root, List<String> parts) {
    SandboxPath {
        parts = List.copyOf(parts);
    }

    Path host() {
        Path p = root;
        for (String part : parts) p = p.resolve(part);
        return p;
    }

    boolean isRoot() {
        return parts.isEmpty();
    }
}
