package org.umview.viewfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.umview.libc.Errno;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * {@code mount -t tmpfs [-o mode=,...] none DIR}: an empty tree of the view's own, a private
 * host directory the kernel serves by path rewriting, gone at umount as a tmpfs's content is.
 * mode= sets its root's permissions (1777 by default, as tmpfs); the size and memory options
 * tmpfs takes are accepted and have nothing to limit.
 */
final class TemporaryTree implements FileSystem {
    static final String TYPE = "tmpfs";
    private static final Set<String> ACCEPTED = Set.of("size", "nr_blocks", "nr_inodes", "mpol", "huge", "inode32", "inode64",
            "noswap", "quota", "usrquota", "grpquota", "uid", "gid", "rw", "ro", "nosuid", "nodev", "noexec", "relatime",
            "noatime", "strictatime", "defaults");

    private final Path directory;
    private volatile boolean readOnly;

    private TemporaryTree(Path directory, boolean readOnly) {
        this.directory = directory;
        this.readOnly = readOnly;
    }

    static FileSystem mount(MountRequest request) throws ModuleException {
        int mode = 01777;
        for (String option : request.options().split(",")) {
            String key = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            if (key.equals("mode")) {
                try {
                    mode = Integer.parseInt(option.substring("mode=".length()), 8) & 07777;
                } catch (NumberFormatException e) {
                    throw new ModuleException(Errno.EINVAL, "tmpfs: mode= takes an octal mode, not " + option);
                }
            } else if (!option.isEmpty() && !ACCEPTED.contains(key)) {
                throw new ModuleException(Errno.EINVAL, "tmpfs: unknown option " + option);
            }
        }
        Path directory = PrivateLayers.create("tmpfs-");
        try {
            // chmod(2), not Files.setPosixFilePermissions: the sticky bit is part of it.
            Files.setAttribute(directory, "unix:mode", mode);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            PrivateLayers.remove(directory);
            throw new ModuleException(Errno.EIO, "tmpfs: cannot set the mode of " + directory + ": " + e.getMessage());
        }
        return new TemporaryTree(directory, (request.flags() & MountRequest.READ_ONLY) != 0);
    }

    @Override
    public String hostPath(String path) {
        return path.equals("/") ? directory.toString() : directory + path;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public boolean remount(boolean readOnly) {
        this.readOnly = readOnly;
        return true;
    }

    @Override
    public void unmount() {
        PrivateLayers.remove(directory);
    }
}
