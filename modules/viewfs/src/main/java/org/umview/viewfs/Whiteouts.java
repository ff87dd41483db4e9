package org.umview.viewfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.umview.libc.Errno;
import org.umview.module.ModuleException;

/**
 * The paths of a copy-on-write view whose source is gone: deleted or renamed, or replaced by
 * something new in the layer (then the source's tree below is not merged in). Kept in a file
 * of the layer, one path a line, so a layer given by {@code cowdir=} can be used again.
 */
final class Whiteouts {
    static final String FILE = ".viewfs-whiteouts";

    private final Path file;
    private final Set<String> paths = new HashSet<>();

    Whiteouts(Path layer) throws ModuleException {
        this.file = layer.resolve(FILE);
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.startsWith("/")) {
                        paths.add(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new ModuleException(Errno.EIO, "viewfs: cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Whether the source's {@code path} is gone: it, or a directory above it, was whited out. */
    synchronized boolean hides(String path) {
        if (paths.isEmpty()) {
            return false;
        }
        for (String at = path; !at.equals("/"); at = Layered.parent(at)) {
            if (paths.contains(at)) {
                return true;
            }
        }
        return false;
    }

    synchronized void add(String path) throws ModuleException {
        if (path.contains("\n")) {
            throw new ModuleException(Errno.EINVAL, "viewfs: a name with a newline cannot be whited out");
        }
        if (paths.add(path)) {
            save();
        }
    }

    private void save() throws ModuleException {
        Path next = file.resolveSibling(FILE + ".new");
        try {
            Files.write(next, List.copyOf(paths), StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw HostFiles.failure(e);
        }
    }
}
