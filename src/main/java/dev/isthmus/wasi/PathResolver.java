package dev.isthmus.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The sandbox: turns a guest path relative to a directory descriptor into a {@link SandboxPath}, one component at
 * a time, never following anything the host would resolve by itself.
 *
 * <ul>
 *   <li>absolute paths are refused (EPERM): only descriptors give access;</li>
 *   <li>".." pops a component; popping above the directory descriptor's own directory is refused (EPERM): each
 *       directory descriptor is a capability for its subtree only;</li>
 *   <li>every symlink met on the way (and the last component when {@code followLast}, or when the path ends with
 *       "/") is read with no-follow semantics and its target spliced in place of the component: relative targets
 *       continue from the link's directory, absolute targets are refused (EPERM); more than
 *       {@value #MAX_SYMLINKS} links give ELOOP;</li>
 *   <li>an intermediate component that is missing gives ENOENT, one that is not a directory ENOTDIR.</li>
 * </ul>
 * The final host path therefore has no symlink in its directories, and the last component is a symlink only when
 * the caller asked not to follow it.
 */
final class PathResolver {
    static final int MAX_SYMLINKS = 32;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private PathResolver() {
    }

    /** A resolved guest path: where it is and whether the guest wrote a trailing slash. */
    record Resolved(SandboxPath path, boolean trailingSlash) {
        Path host() {
            return path.host();
        }
    }

    static Resolved resolve(SandboxPath base, String guestPath, boolean followLast) {
        if (guestPath.isEmpty()) throw new WasiErrnoException(Errno.NOENT);
        if (guestPath.indexOf('\0') >= 0) throw new WasiErrnoException(Errno.ILSEQ);
        if (guestPath.startsWith("/")) throw new WasiErrnoException(Errno.PERM);
        boolean trailingSlash = guestPath.endsWith("/");
        Deque<String> pending = new ArrayDeque<>(components(guestPath));
        List<String> parts = new ArrayList<>(base.parts());
        int floor = parts.size(); // a directory descriptor is its own capability: nothing above it is reachable
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals("..")) {
                if (parts.size() <= floor) throw new WasiErrnoException(Errno.PERM);
                parts.removeLast();
                continue;
            }
            boolean last = pending.isEmpty();
            Path candidate = new SandboxPath(base.root(), parts).host().resolve(name);
            if ((!last || followLast || trailingSlash) && Files.isSymbolicLink(candidate)) {
                if (++links > MAX_SYMLINKS) throw new WasiErrnoException(Errno.LOOP);
                String target = readLink(candidate);
                if (target.startsWith("/")) throw new WasiErrnoException(Errno.PERM);
                List<String> expanded = components(target);
                for (int i = expanded.size() - 1; i >= 0; i--) pending.addFirst(expanded.get(i));
                continue;
            }
            if (!last) {
                if (!Files.exists(candidate, NOFOLLOW)) throw new WasiErrnoException(Errno.NOENT);
                if (!Files.isDirectory(candidate, NOFOLLOW)) throw new WasiErrnoException(Errno.NOTDIR);
            }
            parts.add(name);
        }
        return new Resolved(new SandboxPath(base.root(), parts), trailingSlash);
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new WasiErrnoException(IoErrors.errno(e));
        }
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) out.add(c);
        }
        return out;
    }
}
