package org.umview.vfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.umview.libc.Errno;
import org.umview.libc.Native;
import org.umview.module.FileAttributes;
import org.umview.module.ModuleException;

/**
 * The kernel's objects behind the FIFOs and sockets of served file systems. The kernel never
 * asks a file system to open a FIFO or to carry a socket's traffic: it keeps a pipe or a
 * socket for the node itself. Here each node gets its stand-in in a directory of the
 * supervisor's, found again by the node's device and inode whatever path names it, and the
 * calls on the node are made on the stand-in, by the kernel.
 */
public final class SpecialFiles {
    /* Any user of the view may make one there (a view may run programs as others); no one may list it. */
    private static final String DIRECTORY_MODE = "rwx-wx-wx";

    private final Path directory = Path.of(System.getProperty("java.io.tmpdir"), "umview-nodes-" + ProcessHandle.current().pid());
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final AtomicLong names = new AtomicLong();
    private final Map<List<Long>, String> standIns = new ConcurrentHashMap<>();

    /** The socket bound for {@code node}, or null when no socket of the view is bound to it. */
    public String socket(FileAttributes node) {
        return standIns.get(key(node));
    }

    /** A fresh path for the socket about to be bound for the node {@code node}; {@link #unbound} if the bind fails. */
    public String bind(FileAttributes node) throws ModuleException {
        String path = fresh();
        standIns.put(key(node), path);
        return path;
    }

    public void unbound(FileAttributes node, String path) {
        standIns.remove(key(node), path);
    }

    /** The FIFO of the node {@code node}: the same pipe for every process of the view that opens it. */
    public String fifo(FileAttributes node) throws ModuleException {
        try {
            return standIns.computeIfAbsent(key(node), k -> {
                try {
                    String path = fresh();
                    if (Native.processControl().mkfifo(path, 0666) != 0) {
                        throw new IllegalStateException("mkfifo " + path);
                    }
                    // Who may open the node is the node's mode, checked in the view; the stand-in lets anyone.
                    Files.setPosixFilePermissions(Path.of(path), PosixFilePermissions.fromString("rw-rw-rw-"));
                    return path;
                } catch (IOException e) {
                    throw new IllegalStateException(e.getMessage());
                } catch (ModuleException e) {
                    throw new IllegalStateException(e.getMessage());
                }
            });
        } catch (IllegalStateException e) {
            throw new ModuleException(Errno.EIO, "cannot make the FIFO of a served file system: " + e.getMessage());
        }
    }

    /**
     * The host's device of {@code type} (S_IFCHR or S_IFBLK) and number {@code device}, or null:
     * /dev/char/M:m or /dev/block/M:m where udev made them, else a node of that number in /dev.
     */
    public String hostDevice(int type, long device) {
        String link = (type == FileAttributes.S_IFCHR ? "/dev/char/" : "/dev/block/") + major(device) + ":" + minor(device);
        if (Files.exists(Path.of(link))) {
            return link;
        }
        try (java.util.stream.Stream<Path> nodes = Files.walk(Path.of("/dev"), 2)) {
            return nodes.filter(node -> {
                try {
                    java.util.Map<String, Object> a = Files.readAttributes(node, "unix:mode,rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    return ((Integer) a.get("mode") & FileAttributes.S_IFMT) == type && (Long) a.get("rdev") == device;
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            }).map(Path::toString).findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /* dev_t as glibc encodes it. */
    private static long major(long device) {
        return ((device >>> 8) & 0xfff) | ((device >>> 32) & ~0xfffL);
    }

    private static long minor(long device) {
        return (device & 0xff) | ((device >>> 12) & ~0xffL);
    }

    private static List<Long> key(FileAttributes node) {
        return List.of(node.device(), node.inode());
    }

    /** A new name in the supervisor's directory, gone with the supervisor. */
    private String fresh() throws ModuleException {
        try {
            synchronized (this) {
                if (!Files.isDirectory(directory)) {
                    Files.createDirectory(directory);
                    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(DIRECTORY_MODE));
                    directory.toFile().deleteOnExit();
                }
            }
        } catch (IOException e) {
            throw new ModuleException(Errno.EIO, "cannot make the directory " + directory + ": " + e.getMessage());
        }
        // Unguessable: a stand-in is open to every user, and what keeps them out is that its name is unknown.
        Path name = directory.resolve(Long.toHexString(RANDOM.nextLong()) + "-" + names.incrementAndGet());
        name.toFile().deleteOnExit();
        return name.toString();
    }
}
