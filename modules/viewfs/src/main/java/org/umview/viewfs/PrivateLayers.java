package org.umview.viewfs;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.umview.libc.Errno;
import org.umview.module.ModuleException;

/**
 * The copy-on-write layers made for mounts without {@code cowdir=}: all in one directory of
 * this supervisor's, which every cow mount leaves out of its source, so no view sees them
 * (a cow of /tmp would otherwise show the layer of a cow of the home directory).
 */
final class PrivateLayers {
    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "umview-layers-" + ProcessHandle.current().pid());

    private PrivateLayers() {
    }

    static Path create() throws ModuleException {
        return create("cow-");
    }

    /** A fresh private directory whose name starts with {@code kind}. */
    static synchronized Path create(String kind) throws ModuleException {
        try {
            if (!Files.isDirectory(ROOT)) {
                Files.createDirectory(ROOT, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return Files.createTempDirectory(ROOT, kind);
        } catch (IOException e) {
            throw new ModuleException(Errno.EIO, "viewfs: cannot make a copy-on-write layer in " + ROOT + ": " + e.getMessage());
        }
    }

    /** The layer's mount is over: its tree goes, and the directory of layers with the last one. */
    static synchronized void remove(Path layer) {
        delete(layer);
        try {
            Files.deleteIfExists(ROOT);
        } catch (DirectoryNotEmptyException e) {
            // other private layers are still in use
        } catch (IOException e) {
            // left in the temporary directory: it costs space, nothing else
        }
    }

    /**
     * Removes a tree, opening up first what the view made unreadable or unwritable in it
     * (chmod 0 is the user's own to undo). Symlinks are removed, never followed.
     */
    private static void delete(Path path) {
        if (HostFiles.isDirectory(path)) {
            path.toFile().setReadable(true, true);
            path.toFile().setWritable(true, true);
            path.toFile().setExecutable(true, true);
            try (Stream<Path> children = Files.list(path)) {
                children.forEach(PrivateLayers::delete);
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
        path.toFile().delete();
    }
}
