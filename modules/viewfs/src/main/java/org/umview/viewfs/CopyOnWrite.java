package org.umview.viewfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.ModuleException;

/**
 * {@code cow} and {@code mincow}: the source seen through a layer that takes every change.
 * A file is copied into the layer the first time a call changes it; a name removed from the
 * source is recorded as a whiteout. The source is never written, except by {@code mincow}
 * where its owner may write (write-through), as it was asked. Copies are made on module
 * threads ({@link #copiesOnChange}); the calls that change the layer take turns.
 */
final class CopyOnWrite extends Layered {
    /** Where copies are made before they are renamed into place. */
    private static final String WORK = ".viewfs-work";

    private final Whiteouts whiteouts;
    private final Origins origins = new Origins();
    private final boolean writeThrough;
    private final boolean privateLayer;
    /** Places below the source the view must not show: the layer itself, private layers ("/tmp/..."). */
    private final List<String> layersInSource = new java.util.ArrayList<>();

    CopyOnWrite(Path source, Path layer, boolean privateLayer, boolean writeThrough, List<String> exceptions)
            throws ModuleException {
        super(layer, source, exceptions);
        this.whiteouts = new Whiteouts(layer);
        this.writeThrough = writeThrough;
        this.privateLayer = privateLayer;
        for (Path hidden : List.of(layer, PrivateLayers.ROOT)) {
            if (hidden.startsWith(source) && !hidden.equals(source)) {
                layersInSource.add("/" + source.relativize(hidden));
            }
        }
    }

    @Override
    public boolean narrows() {
        return true; // the host never sees the view's changes: a sandbox's --cow
    }

    @Override
    public boolean copiesOnChange() {
        return true;
    }

    @Override
    boolean upperShows(String path) {
        return !path.equals("/" + Whiteouts.FILE) && !path.equals("/" + Whiteouts.FILE + ".new") && !path.equals("/" + WORK)
                && !path.startsWith("/" + WORK + "/");
    }

    @Override
    boolean lowerShows(String path) {
        for (String layer : layersInSource) {
            if (path.equals(layer) || path.startsWith(layer + "/")) {
                return false;
            }
        }
        return !whiteouts.hides(path);
    }

    private boolean inUpper(String path) {
        return upperShows(path) && HostFiles.exists(upper(path));
    }

    private boolean inLower(String path) {
        return lowerShows(path) && HostFiles.exists(lower(path));
    }

    @Override
    synchronized String changedFile(String path, Path shown) throws ModuleException {
        Path at = locate(path); // again: another thread may have copied it meanwhile
        if (at != null && at.equals(upper(path))) {
            return at.toString();
        }
        if (at != null) {
            if (writeThrough && Files.isWritable(at)) {
                return at.toString();
            }
            copyUp(path);
            return upper(path).toString();
        }
        // A new name: it goes where its directory is, made in the layer if need be.
        Path directory = locate(parent(path));
        if (directory == null || !HostFiles.isDirectory(directory)) {
            return upper(path).toString(); // the kernel says ENOENT or ENOTDIR, as it should
        }
        Path lowerDirectory = lower(parent(path));
        if (writeThrough && lowerShows(path) && inLower(parent(path)) && HostFiles.isDirectory(lowerDirectory)
                && Files.isWritable(lowerDirectory)) {
            return lower(path).toString();
        }
        ensureDirectory(parent(path), upperRoot());
        return upper(path).toString();
    }

    /**
     * Copies the source's file, symlink or (empty) directory at {@code path} into the layer. A
     * file copied up keeps showing the source file's device and inode numbers, as on overlayfs:
     * a program that compares them across a change (git clone --local of its hard links) sees
     * one file.
     */
    private void copyUp(String path) throws ModuleException {
        ensureDirectory(parent(path), upperRoot());
        Path from = lower(path);
        if (HostFiles.isDirectory(from)) {
            ensureDirectory(path, upperRoot());
            return;
        }
        copy(from, upper(path));
    }

    /** Only regular files are copies with an origin; looking (the JDK opens the file for its attributes) must not open a FIFO. */
    @Override
    boolean renumbered(Path at) {
        return at.startsWith(upperRoot()) && Files.isRegularFile(at, LinkOption.NOFOLLOW_LINKS) && origins.of(at) != null;
    }

    @Override
    FileAttributes shown(Path at, FileAttributes attributes) {
        long[] origin = origins.of(at);
        return origin == null ? attributes : attributes.numbered(origin[0], origin[1]);
    }

    /**
     * Copies file or symlink {@code from} to {@code to} in the layer: made whole in the layer's
     * work directory, then renamed into place, so that no call ever sees half a copy.
     */
    private void copy(Path from, Path to) throws ModuleException {
        try {
            Path work = upperRoot().resolve(WORK);
            Files.createDirectories(work);
            Path whole = Files.createTempFile(work, "copy-", "");
            try {
                Files.copy(from, whole, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                if (Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
                    origins.record(whole, from);
                }
                Files.move(whole, to, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(whole);
            }
        } catch (IOException e) {
            throw HostFiles.failure(e);
        }
    }

    @Override
    synchronized Path changeable(String path) throws ModuleException {
        Path at = existing(path);
        if (writeThrough && at.equals(lower(path)) && Files.isWritable(at)) {
            return at;
        }
        ensureDirectory(path, upperRoot());
        return upper(path);
    }

    @Override
    public synchronized void unlink(String path) throws ModuleException {
        Path at = existing(path);
        if (HostFiles.isDirectory(at)) {
            throw new ModuleException(Errno.EISDIR);
        }
        remove(path);
    }

    @Override
    public synchronized void rmdir(String path) throws ModuleException {
        removable(path);
        remove(path);
    }

    /** Takes {@code path} out of the view: out of the layer, and whited out in the source. */
    private void remove(String path) throws ModuleException {
        try {
            if (inUpper(path)) {
                Files.delete(upper(path));
            } else if (writeThrough && inLower(path) && Files.isWritable(lower(parent(path)))) {
                Files.delete(lower(path));
                return;
            }
        } catch (IOException e) {
            throw HostFiles.failure(e);
        }
        if (inLower(path)) {
            whiteouts.add(path);
        }
    }

    @Override
    public synchronized void rename(String from, String to) throws ModuleException {
        Path source = existing(from);
        Path target = locate(to);
        boolean directory = HostFiles.isDirectory(source);
        if (target != null && HostFiles.isDirectory(target)) {
            if (!directory) {
                throw new ModuleException(Errno.EISDIR);
            }
            if (!empty(to)) {
                throw new ModuleException(Errno.ENOTEMPTY);
            }
        } else if (target != null && directory) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        if (directory && inLower(from)) {
            // As overlayfs without redirect_dir: mv copies the tree and removes the source's.
            throw new ModuleException(Errno.EXDEV);
        }
        ensureDirectory(parent(to), upperRoot());
        try {
            if (target != null && directory && inUpper(to)) {
                Files.delete(upper(to));
            }
            if (inUpper(from)) {
                Files.move(upper(from), upper(to), StandardCopyOption.ATOMIC_MOVE);
            } else {
                copy(lower(from), upper(to));
            }
        } catch (IOException e) {
            throw HostFiles.failure(e);
        }
        if (inLower(from)) {
            whiteouts.add(from);
        }
        if (inLower(to)) {
            whiteouts.add(to); // what the source has there is replaced, and stays so if this goes
        }
    }

    @Override
    public synchronized void link(String from, String to) throws ModuleException {
        existing(from);
        if (locate(to) != null) {
            throw new ModuleException(Errno.EEXIST);
        }
        if (!inUpper(from)) {
            copyUp(from);
        }
        ensureDirectory(parent(to), upperRoot());
        try {
            Files.createLink(upper(to), upper(from));
        } catch (IOException e) {
            throw HostFiles.failure(e);
        }
    }

    @Override
    public void unmount() {
        if (privateLayer) {
            PrivateLayers.remove(upperRoot());
        }
    }
}
