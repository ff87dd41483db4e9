package org.umview.viewfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.umview.libc.Errno;
import org.umview.module.DirectoryEntry;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.FileSystemStats;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;
import org.umview.module.Timestamp;

/**
 * Two host trees seen as one, the upper one winning where both have a name. Files are the
 * kernel's: their paths are rewritten to the layer that holds them. Directories are served,
 * their listings merged; that also keeps a working directory inside the mount virtual, so
 * relative paths come back here instead of reaching a layer behind the mount's back.
 */
abstract class Layered implements FileSystem {
    private static final int O_ACCMODE = 03;
    private static final int O_CREAT = 0100;
    private static final int W_OK = 2;

    private final Path upper;
    private final Path lower;
    private final List<String> exceptions;

    Layered(Path upper, Path lower, List<String> exceptions) {
        this.upper = upper;
        this.lower = lower;
        this.exceptions = List.copyOf(exceptions);
    }

    final Path upper(String path) {
        return path.equals("/") ? upper : upper.resolve(path.substring(1));
    }

    final Path lower(String path) {
        return path.equals("/") ? lower : lower.resolve(path.substring(1));
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** Whether the upper layer's {@code path} is part of the view. */
    boolean upperShows(String path) {
        return true;
    }

    /** Whether the lower layer's {@code path} is part of the view. */
    abstract boolean lowerShows(String path);

    /** The host file the view shows at {@code path}, or null if none. */
    final Path locate(String path) {
        Path top = upper(path);
        if (upperShows(path) && HostFiles.exists(top)) {
            return top;
        }
        Path bottom = lower(path);
        return lowerShows(path) && HostFiles.exists(bottom) ? bottom : null;
    }

    final Path existing(String path) throws ModuleException {
        Path at = locate(path);
        if (at == null) {
            throw new ModuleException(Errno.ENOENT);
        }
        return at;
    }

    /**
     * Where a change to the attributes of directory {@code path} is made: a directory of the
     * layer that takes changes (made there first if need be).
     */
    abstract Path changeable(String path) throws ModuleException;

    @Override
    public final List<String> exceptions() {
        return exceptions;
    }

    @Override
    public final String hostPath(String path) {
        Path at = locate(path);
        if (at != null && HostFiles.isDirectory(at)) {
            return null;
        }
        return (at != null ? at : upper(path)).toString();
    }

    /**
     * Directories are served, and so are removals, renames and links (they change what the
     * layers show); a file is the kernel's, at the host path this gives.
     */
    @Override
    public final String hostPath(String path, Use use) throws ModuleException {
        if (use == Use.ATTRIBUTES) {
            Path at = locate(path);
            return at != null && renumbered(at) ? null : hostPath(path);
        }
        if (use == Use.LOOK) {
            return hostPath(path);
        }
        Path at = locate(path);
        if (use == Use.REMOVE || at != null && HostFiles.isDirectory(at)) {
            return null;
        }
        return changedFile(path, at);
    }

    /**
     * The host path where the kernel makes a change to file {@code path}, now shown from
     * {@code at} (null: a new name), after what must come first (a copy into the layer).
     */
    abstract String changedFile(String path, Path at) throws ModuleException;

    @Override
    public final FileAttributes stat(String path, boolean follow) throws ModuleException {
        Path at = existing(path);
        FileAttributes attributes = HostFiles.attributes(at, follow);
        return attributes.isRegular() && renumbered(at) ? shown(at, attributes) : attributes;
    }

    /** Whether host file {@code at} shows another file's device and inode numbers (a copy standing for its original). */
    boolean renumbered(Path at) {
        return false;
    }

    /** The attributes of host file {@code at}, which {@link #renumbered} says shows another's numbers, as the view shows them. */
    FileAttributes shown(Path at, FileAttributes attributes) {
        return attributes;
    }

    @Override
    public final OpenFile open(String path, int flags, int mode) throws ModuleException {
        Path at = existing(path);
        if (!HostFiles.isDirectory(at)) {
            throw new ModuleException(Errno.EAGAIN, "viewfs: " + path + " stopped being a directory");
        }
        if ((flags & (O_ACCMODE | O_CREAT)) != 0) {
            throw new ModuleException(Errno.EISDIR);
        }
        FileAttributes attributes = HostFiles.attributes(at, true);
        return new OpenFile() {
            @Override
            public FileAttributes stat() {
                return attributes;
            }

            @Override
            public List<DirectoryEntry> list() throws ModuleException {
                return Layered.this.list(path);
            }
        };
    }

    /** The merged listing of directory {@code path}, "." and ".." first. */
    final List<DirectoryEntry> list(String path) throws ModuleException {
        Map<String, DirectoryEntry> names = new LinkedHashMap<>();
        names.put(".", new DirectoryEntry(".", 1, DirectoryEntry.DT_DIR));
        names.put("..", new DirectoryEntry("..", 1, DirectoryEntry.DT_DIR));
        boolean any = false;
        for (boolean upperLayer : new boolean[] {true, false}) {
            Path layer = upperLayer ? upper(path) : lower(path);
            if (!(upperLayer ? upperShows(path) : lowerShows(path)) || !HostFiles.isDirectory(layer)) {
                continue;
            }
            any = true;
            try (DirectoryStream<Path> children = Files.newDirectoryStream(layer)) {
                for (Path child : children) {
                    String name = child.getFileName().toString();
                    String inView = path.equals("/") ? "/" + name : path + "/" + name;
                    if (!names.containsKey(name) && (upperLayer ? upperShows(inView) : lowerShows(inView))) {
                        names.put(name, HostFiles.entry(name, child));
                    }
                }
            } catch (IOException e) {
                throw HostFiles.failure(e);
            }
        }
        if (!any) {
            throw new ModuleException(Errno.ENOENT);
        }
        return new ArrayList<>(names.values());
    }

    final boolean empty(String path) throws ModuleException {
        return list(path).size() == 2;
    }

    /** rmdir's checks: a directory, and empty. */
    final void removable(String path) throws ModuleException {
        if (!HostFiles.isDirectory(existing(path))) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        if (!empty(path)) {
            throw new ModuleException(Errno.ENOTEMPTY);
        }
    }

    /* Only directories are served here (files are the kernel's): what these calls get from one. */

    @Override
    public final String readlink(String path) throws ModuleException {
        throw refused(path, Errno.EINVAL);
    }

    @Override
    public final void mkdir(String path, int mode) throws ModuleException {
        throw refused(path, Errno.EEXIST);
    }

    @Override
    public final void symlink(String target, String path) throws ModuleException {
        throw refused(path, Errno.EEXIST);
    }

    @Override
    public final void truncate(String path, long length) throws ModuleException {
        throw refused(path, Errno.EISDIR);
    }

    /** ENOENT if nothing is at {@code path}, else {@code errno}. */
    private ModuleException refused(String path, int errno) throws ModuleException {
        existing(path);
        return new ModuleException(errno);
    }

    @Override
    public final void chmod(String path, int mode) throws ModuleException {
        HostFiles.setMode(changeable(path), mode);
    }

    @Override
    public final void chown(String path, int uid, int gid, boolean follow) throws ModuleException {
        HostFiles.setOwner(changeable(path), uid, gid, follow);
    }

    @Override
    public final void setTimes(String path, Timestamp access, Timestamp modification, boolean follow) throws ModuleException {
        HostFiles.setTimes(changeable(path), access, modification, follow);
    }

    @Override
    public void access(String path, int mode) throws ModuleException {
        Path at = existing(path);
        if ((mode & W_OK) != 0 && !Files.isWritable(at)) {
            changeable(path);
        }
        if ((mode & 1) != 0 && !Files.isExecutable(at) || (mode & 4) != 0 && !Files.isReadable(at)) {
            throw new ModuleException(Errno.EACCES);
        }
    }

    @Override
    public final FileSystemStats statfs(String path) throws ModuleException {
        return HostFiles.statfs(upper);
    }

    /**
     * Makes directory {@code path} of the view a directory of {@code layer} too, with the
     * parents it needs, each with the mode and times of the one the view shows.
     */
    final void ensureDirectory(String path, Path layerRoot) throws ModuleException {
        Path there = path.equals("/") ? layerRoot : layerRoot.resolve(path.substring(1));
        if (HostFiles.isDirectory(there)) {
            return;
        }
        Path shown = existing(path);
        if (!HostFiles.isDirectory(shown)) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        ensureDirectory(parent(path), layerRoot);
        try {
            Files.createDirectory(there);
            Files.setAttribute(there, "unix:mode", (Integer) Files.getAttribute(shown, "unix:mode") & 07777);
            Files.setLastModifiedTime(there, Files.getLastModifiedTime(shown));
        } catch (IOException e) {
            throw HostFiles.failure(e);
        }
    }

    final Path upperRoot() {
        return upper;
    }

    final Path lowerRoot() {
        return lower;
    }
}
