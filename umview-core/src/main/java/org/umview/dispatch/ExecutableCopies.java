package org.umview.dispatch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;
import org.umview.path.Resolved;

/**
 * Host copies of executables that live in served file systems: execve needs a file the kernel
 * can open. Copies are private to the user (mode 0700 directory), reused while the file's size
 * and modification time stay the same, and removed when umview ends. Under a supervisor run by
 * root, processes of the view may be other users (a test's setuid(nobody)): the directory is
 * then 0711 and a copy has its file's permission bits (less set-user-ID), so that exactly those
 * who may execute the file natively may execute its copy.
 */
public final class ExecutableCopies implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int CHUNK = 1 << 20;

    private static final boolean SUPERVISOR_IS_ROOT = "root".equals(System.getProperty("user.name"));
    private final Map<String, Path> copies = new ConcurrentHashMap<>();
    private Path directory;

    synchronized String hostCopy(Resolved where) throws ModuleException {
        FileAttributes attributes = where.mount().fileSystem().stat(where.inMount(), true);
        if (!attributes.isRegular()) {
            throw new ModuleException(Errno.EACCES);
        }
        String key = where.mount().epoch() + ":" + where.path() + ":" + attributes.size() + ":"
                + attributes.mtimeSeconds() + "." + attributes.mtimeNanos();
        Path existing = copies.get(key);
        if (existing != null && Files.exists(existing)) {
            return existing.toString();
        }
        OpenFile file = where.mount().fileSystem().open(where.inMount(), O_RDONLY, 0);
        try {
            Path copy = Files.createTempFile(directory(), "exec-", "");
            try (OutputStream out = Files.newOutputStream(copy)) {
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
                for (long offset = 0; ; ) {
                    chunk.clear();
                    int n = file.read(chunk, offset);
                    if (n <= 0) {
                        break;
                    }
                    out.write(chunk.array(), 0, n);
                    offset += n;
                }
            }
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(
                    SUPERVISOR_IS_ROOT ? bits(attributes.mode() | 0700) : "rwx------"));
            copies.put(key, copy);
            return copy.toString();
        } catch (IOException e) {
            throw new ModuleException(Errno.EIO, "cannot copy " + where.path() + " to execute it: " + e.getMessage());
        } finally {
            file.close();
        }
    }

    private Path directory() throws IOException {
        if (directory == null) {
            directory = Files.createTempDirectory("umview-exec-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString(SUPERVISOR_IS_ROOT ? "rwx--x--x" : "rwx------")));
        }
        return directory;
    }

    /** rwxrwxrwx for the permission bits of {@code mode}. */
    private static String bits(int mode) {
        StringBuilder text = new StringBuilder(9);
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) == 0 ? '-' : "rwx".charAt((8 - bit) % 3));
        }
        return text.toString();
    }

    @Override
    public synchronized void close() {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover in /tmp is no harm to the view
        }
    }
}
