package dev.isthmus.serialize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A directory of code files keyed by what they were compiled from: the automatic cache behind
 * {@code Isthmus.Builder.codeCache} (wasmtime's cache, by the same rules).
 *
 * <pre>
 *   key  = SHA-256( build id ‖ 0 ‖ context ‖ 0 ‖ isthmus.* properties ‖ 0 ‖ module bytes )
 *                                                      context: compiler options key, CPU features,
 *   file = DIR/&lt;key in hex&gt;.ism                          wasm version — anything the code depends on
 *
 *   lookup: read DIR/key.ism ── missing ─────────────▶ miss (compile, then store)
 *                            ── read ──▶ touch mtime ─▶ hit (the caller loads it; a refused file is discard()ed)
 *   store:  write DIR/key.ism.tmp-RANDOM, then rename over DIR/key.ism (atomic: readers see a whole file or none)
 *           then, if the *.ism files exceed the size limit, delete the least recently used (oldest mtime) down to
 *           90% of it, and temporary files older than an hour (a writer that died)
 * </pre>
 * Every failure of the file system (read-only or full directory, permissions, a path that is not a directory)
 * makes the cache step aside: a lookup misses, a store is skipped, and only the first such failure is reported
 * through the warning sink (one line); the caller compiles as if there were no cache. A file the loader refuses is
 * reported once too (the first one), and replaced. Several processes may
 * share one directory: writes never expose half a file, the last writer of a key wins (the files are equal), and an
 * eviction racing a reader leaves the reader with the file it opened (unlinking does not truncate it).
 */
public final class CodeCache {
    /** The default size limit: 1 GiB of code files. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    private static final String SUFFIX = ".ism";
    private static final String TEMP = ".tmp-";
    private static final long STALE_TEMP_MILLIS = 3_600_000;

    private final Path directory;
    private final long maxBytes;
    private final Consumer<String> warnings;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param directory where the files go (created when missing)
     * @param maxBytes  the most bytes of code files kept (least recently used ones go first)
     * @param warnings  receives one line for the first file-system failure and one for the first refused file
     */
    public CodeCache(Path directory, long maxBytes, Consumer<String> warnings) {
        if (maxBytes <= 0) throw new IllegalArgumentException("cache size limit " + maxBytes);
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.warnings = warnings;
    }

    public Path directory() {
        return directory;
    }

    /**
     * The key of {@code module} (a wasm binary or text) compiled in {@code context}; null (no caching) when this
     * engine has no build id, whose code files would not load anyway.
     */
    public String key(byte[] module, String context) {
        if (BuildId.current() == null) {
            warnOnce("build", "code cache off: this engine has no build id (classes not built by Maven)");
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(BuildId.current().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(context.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(compilerSwitches().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(module);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * The {@code isthmus.*} system properties set in this JVM, sorted, as {@code name=value} lines: the compiler reads
     * its measurement switches from them while it compiles (and the tests their test-only ones), so code compiled
     * with {@code -Disthmus.safepointPolls=false} must not be what a run without the switch loads.
     */
    static String compilerSwitches() {
        java.util.TreeMap<String, String> set = new java.util.TreeMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("isthmus.")) set.put(name, System.getProperty(name));
        }
        StringBuilder b = new StringBuilder();
        set.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    /** The file of {@code key}. */
    public Path fileOf(String key) {
        return directory.resolve(key + SUFFIX);
    }

    /** The code file cached under {@code key}, marked as used now; null on a miss or when it cannot be read. */
    public byte[] lookup(String key) {
        Path file = fileOf(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | SecurityException e) {
            warnOnce("io", "code cache: cannot read " + file + " (" + e + "); compiling instead");
            return null;
        }
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | SecurityException e) {
            // a read-only cache still serves hits; only its eviction order ages
        }
        return bytes;
    }

    /** Removes the entry of {@code key} (a file the loader refused: damaged, or made by another engine). */
    public void discard(String key, String reason) {
        warnOnce("refused", "code cache: ignoring " + fileOf(key) + ": " + reason + "; compiling instead");
        try {
            Files.deleteIfExists(fileOf(key));
        } catch (IOException | SecurityException e) {
            // the store that follows replaces it, or the cache is read-only and keeps missing
        }
    }

    /** A module that cannot be written as a code file ({@code reason}) is compiled every time, said once. */
    public void unstorable(String reason) {
        warnOnce("unstorable", "code cache: a module is not kept (" + reason + ")");
    }

    /** Stores {@code codeFile} under {@code key}, atomically, then keeps the directory within its size limit. */
    public void store(String key, byte[] codeFile) {
        Path target = fileOf(key);
        Path temp = directory.resolve(key + SUFFIX + TEMP + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectories(directory);
            Files.write(temp, codeFile);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename atomically", e);
            }
        } catch (IOException | SecurityException e) {
            warnOnce("io", "code cache: cannot write " + target + " (" + e + "); continuing without it");
            try {
                Files.deleteIfExists(temp);
            } catch (IOException | SecurityException ignored) {
                // nothing more to do: the temporary file is swept by a later eviction
            }
            return;
        }
        evict();
    }

    private record Entry(Path file, long size, long modified) {
    }

    /** Deletes the least recently used files while they exceed the limit (down to 90%), and stale temporaries. */
    void evict() {
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    long modified = Files.getLastModifiedTime(f).toMillis();
                    if (name.contains(TEMP)) {
                        if (now - modified > STALE_TEMP_MILLIS) Files.deleteIfExists(f);
                    } else if (name.endsWith(SUFFIX)) {
                        long size = Files.size(f);
                        entries.add(new Entry(f, size, modified));
                        total += size;
                    }
                } catch (NoSuchFileException e) {
                    // another process evicted it meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            warnOnce("io", "code cache: cannot list " + directory + " (" + e + "); not evicting");
            return;
        }
        if (total <= maxBytes) return;
        entries.sort(Comparator.comparingLong(Entry::modified));
        long goal = maxBytes / 10 * 9;
        for (Entry e : entries) {
            if (total <= goal) break;
            try {
                Files.deleteIfExists(e.file());
            } catch (IOException | SecurityException ex) {
                warnOnce("io", "code cache: cannot delete " + e.file() + " (" + ex + ")");
                return;
            }
            total -= e.size();
        }
    }

    private void warnOnce(String kind, String message) {
        if (warned.add(kind)) warnings.accept(message);
    }
}
