package org.umview.path;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.libc.Links;
import org.umview.process.ProcessState;
import org.umview.process.VirtualFile;
import org.umview.view.Mount;
import org.umview.view.MountTable;
import org.umview.view.View;
import org.umview.view.ViewNode;

/**
 * Resolves a path argument the way the kernel would, but in the view: relative to the
 * tracee's cwd or dirfd, through "." and "..", and following symlinks (on the host or inside
 * mounts) that may lead into or out of a mount. The result is canonical: no symlink left
 * except, when not following, the last component.
 *
 * <p>A tracee's cwd and dirfds are read from /proc: while every directory a tracee can enter is
 * a host directory, the kernel's record of it is the truth.
 */
public final class PathResolver {
    private static final int PATH_MAX = 4096;
    private static final int MAX_SYMLINKS = 40;
    private static final int AT_FDCWD = -100;

    private final View view;
    private final MountTable mounts;
    private final SymlinkCache links = new SymlinkCache();
    private final java.util.function.IntFunction<ProcessState> processes;

    /** {@code processes}: the state of a traced process by pid, or null if it is not one. */
    public PathResolver(View view, java.util.function.IntFunction<ProcessState> processes) {
        this.view = view;
        this.mounts = view.mounts();
        this.processes = processes;
    }

    /**
     * @param followLast follow a symlink in the last component (no AT_SYMLINK_NOFOLLOW / O_NOFOLLOW)
     * @param epoch the epoch of the caller: mounts made later are invisible
     */
    public Resolved resolve(int tid, int tgid, ProcessState process, int dirfd, String path, boolean followLast,
            long epoch) throws PathException {
        if (path.length() >= PATH_MAX) {
            throw new PathException(Errno.ENAMETOOLONG);
        }
        if (path.isEmpty()) {
            throw new PathException(Errno.ENOENT);
        }
        ViewNode node = view.of(process);
        List<String> done = new ArrayList<>();
        boolean throughMount = false;
        if (!path.startsWith("/")) {
            String virtualBase = virtualBase(process, dirfd);
            // From a directory the kernel does not know, even a path that ends on the host
            // must be handed to the kernel rewritten.
            throughMount = virtualBase != null;
            split(virtualBase != null ? virtualBase : base(tid, dirfd), done);
        }
        Deque<String> todo = new ArrayDeque<>();
        pushFront(todo, path);
        int links = 0;
        while (!todo.isEmpty()) {
            String component = todo.pop();
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            done.add(component);
            // A trailing slash leaves an empty component behind: the last name is followed then.
            if (todo.isEmpty() && !followLast) {
                break;
            }
            String current = join(done);
            throughMount |= mounts.find(current, epoch, node) != null;
            String target = symlinkTarget(current, tid, tgid, process, epoch, node);
            if (target != null) {
                if (++links > MAX_SYMLINKS) {
                    throw new PathException(Errno.ELOOP);
                }
                done.remove(done.size() - 1);
                if (target.startsWith("/")) {
                    done.clear();
                }
                pushFront(todo, target);
            }
        }
        String canonical = join(done);
        Mount mount = mounts.find(canonical, epoch, node);
        return new Resolved(canonical, mount, throughMount || mount != null, path.substring(path.lastIndexOf('/') + 1));
    }

    private static final java.util.regex.Pattern PROC_LINK =
            java.util.regex.Pattern.compile("/proc/(\\d+)(?:/task/\\d+)?/(?:fd/(\\d+)|cwd)");

    /**
     * What /proc/PID/fd/N or /proc/PID/cwd of a traced process says in the view when it names
     * a virtual file or directory (the kernel would say "/dev/null"), else null. {@code tgid}
     * and {@code process}: the caller's.
     */
    public String virtualLink(String path, int tgid, ProcessState process) {
        java.util.regex.Matcher m = PROC_LINK.matcher(path);
        if (!m.matches()) {
            return null;
        }
        if (Integer.parseInt(m.group(1)) != tgid) {
            process = processes.apply(Integer.parseInt(m.group(1)));
            if (process == null) {
                return null;
            }
        }
        if (m.group(2) == null) {
            return process.fs().virtualCwd();
        }
        VirtualFile file = process.files().get(Integer.parseInt(m.group(2)));
        return file == null ? null : file.path();
    }

    /** A traced program changed names (rename, unlink, symlink...): forget what was learned. */
    public void namesChanged() {
        links.forget();
    }

    /** The virtual directory (cwd or virtual dirfd) a relative path starts from, or null. */
    private static String virtualBase(ProcessState process, int dirfd) {
        if (dirfd == AT_FDCWD) {
            return process.fs().virtualCwd();
        }
        VirtualFile file = process.files().get(dirfd);
        return file == null ? null : file.path();
    }

    /** The host directory a relative path starts from: the cwd, or the directory dirfd refers to. */
    private String base(int tid, int dirfd) throws PathException {
        String link = dirfd == AT_FDCWD ? Links.readlink("/proc/" + tid + "/cwd") : Links.readlink("/proc/" + tid + "/fd/" + dirfd);
        if (link == null) {
            throw new PathException(dirfd == AT_FDCWD ? Errno.ENOENT : Errno.EBADF);
        }
        if (!link.startsWith("/")) {
            throw new PathException(Errno.ENOTDIR); // a pipe, socket or other non-directory
        }
        return link;
    }

    /** Where the symlink at canonical {@code path} points, or null if it is not one. */
    private String symlinkTarget(String path, int tid, int tgid, ProcessState process, long epoch, ViewNode node) {
        if (path.startsWith("/proc/")) {
            if (path.equals("/proc/self")) {
                return Integer.toString(tgid);
            }
            if (path.equals("/proc/thread-self")) {
                return tgid + "/task/" + tid;
            }
            String virtual = virtualLink(path, tgid, process);
            if (virtual != null) {
                return virtual;
            }
        }
        String host = path;
        Mount mount = mounts.find(path, epoch, node);
        if (mount != null) {
            host = mount.fileSystem().hostPath(mount.relative(path));
            if (host == null) {
                return null;
            }
        }
        // /proc changes under our feet (pids, fds): never remembered.
        String target = host.startsWith("/proc/") ? Links.readlink(host) : links.readlink(host);
        // /proc's magic links name objects ("pipe:[7]", "socket:[9]"), not paths: the kernel
        // follows them to the object, so resolution stops there.
        if (target != null && host.startsWith("/proc/") && (target.contains(":[") || target.startsWith("anon_inode:"))) {
            return null;
        }
        return target;
    }

    private static void split(String path, List<String> into) {
        for (String component : path.split("/")) {
            if (!component.isEmpty()) {
                into.add(component);
            }
        }
    }

    private static void pushFront(Deque<String> todo, String path) {
        String[] components = path.split("/", -1);
        for (int i = components.length - 1; i >= 0; i--) {
            todo.push(components[i]);
        }
    }

    private static String join(List<String> components) {
        if (components.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        for (String component : components) {
            path.append('/').append(component);
        }
        return path.toString();
    }
}
