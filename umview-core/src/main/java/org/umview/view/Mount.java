package org.umview.view;

import org.umview.module.FileSystem;
import org.umview.module.Module;

/**
 * A file system mounted in a view at {@code target} (canonical, absolute), stamped with the
 * epoch at which it was made: a process sees it only from that epoch on, and the module
 * serving it sees the world as it was just before. It counts the files open on it: an umount
 * is refused while any is (EBUSY), and a lazy one ends the file system when the last closes.
 */
public final class Mount {
    private final String target;
    private final String source;
    private final String type;
    private final String options;
    private final Module module;
    private final FileSystem fileSystem;
    private final long epoch;
    private final ViewNode view;
    private final boolean listed;
    private int openFiles;
    private boolean detached;

    public Mount(String target, String source, String type, String options, Module module, FileSystem fileSystem,
            long epoch, ViewNode view) {
        this(target, source, type, options, module, fileSystem, epoch, view, true);
    }

    private Mount(String target, String source, String type, String options, Module module, FileSystem fileSystem,
            long epoch, ViewNode view, boolean listed) {
        this.listed = listed;
        this.target = target;
        this.source = source;
        this.type = type;
        this.options = options;
        this.module = module;
        this.fileSystem = fileSystem;
        this.epoch = epoch;
        this.view = view;
    }

    /** A file a module places in the view while it is loaded ({@link Module#files}). */
    public static Mount moduleFile(String target, Module module, FileSystem fileSystem, ViewNode root) {
        return new Mount(target, "none", module.name(), "", module, fileSystem, Epoch.ALWAYS, root, false);
    }

    /** One of the mounts {@code main}'s file system makes with it ({@link FileSystem#alongside}). */
    public static Mount alongside(Mount main, String target, FileSystem fileSystem) {
        return new Mount(target, main.source, main.type, main.options, main.module, fileSystem, main.epoch, main.view, false);
    }

    /** A mount that is no mount to the user, for a moment ({@link MissingDirectories}). */
    public static Mount unlisted(String target, Module module, FileSystem fileSystem, ViewNode view) {
        return new Mount(target, "none", module.name(), "", module, fileSystem, Epoch.next(), view, false);
    }

    /** Whether /proc/PID/mounts shows it: a module's own files are not mounts to the user. */
    public boolean listed() {
        return listed;
    }

    /** The view the mount was made in. */
    public ViewNode view() {
        return view;
    }

    public String target() {
        return target;
    }

    public String source() {
        return source;
    }

    public String type() {
        return type;
    }

    public String options() {
        return options;
    }

    public Module module() {
        return module;
    }

    public FileSystem fileSystem() {
        return fileSystem;
    }

    public long epoch() {
        return epoch;
    }

    /** Whether {@code path} is the mount point or below it, and not in one of its exceptions. */
    public boolean covers(String path) {
        if (!within(path, target)) {
            return false;
        }
        for (String exception : fileSystem.exceptions()) {
            if (within(path, target.equals("/") ? "/" + exception : target + "/" + exception)) {
                return false;
            }
        }
        return true;
    }

    private static boolean within(String path, String top) {
        return path.equals(top) || top.equals("/") || (path.startsWith(top) && path.charAt(top.length()) == '/');
    }

    /** {@code path} as seen from the mount's root ("/" for the mount point itself). */
    public String relative(String path) {
        if (target.equals("/")) {
            return path;
        }
        return path.length() == target.length() ? "/" : path.substring(target.length());
    }

    public synchronized void fileOpened() {
        openFiles++;
    }

    public synchronized void fileClosed() {
        if (--openFiles == 0 && detached) {
            fileSystem.unmount();
        }
    }

    public synchronized boolean busy() {
        return openFiles > 0;
    }

    /** Taken out of the view: the file system ends now, or with its last open file. */
    public synchronized void detach() {
        detached = true;
        if (openFiles == 0) {
            fileSystem.unmount();
        }
    }
}
