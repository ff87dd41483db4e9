package org.umview.dispatch;

import java.util.ArrayList;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.path.PathException;
import org.umview.path.PathResolver;
import org.umview.path.Resolved;
import org.umview.syscall.SyscallRequest;
import org.umview.view.Mount;
import org.umview.view.View;

/**
 * Calls that name files by path. A path that stays on the host is left to the kernel as the
 * tracee wrote it; one that resolves into a mount is rewritten to the host path the mount maps
 * it to, or served by the mount's file system ({@link FileCalls}).
 */
final class PathCalls {
    static final int PATH_MAX = 4096;
    private static final int AT_FDCWD = -100;
    private static final int MAX_SYMLINKS = 40;

    private final View view;
    private final TraceeMemory memory;
    private final PathResolver resolver;
    private final FileCalls files;
    private final DescriptorCalls descriptors;
    private final MountListings listings;
    private final ProcStatusFiles statusFiles;
    private final ControlChannel.ViewControl control;
    private final ModuleWork work;
    private final ExecInterpreters interpreters;

    PathCalls(View view, TraceeMemory memory, PathResolver resolver, FileCalls files, DescriptorCalls descriptors,
            ControlChannel.ViewControl control, ModuleWork work, org.umview.syscall.SyscallTable table) {
        this.view = view;
        this.work = work;
        this.control = control;
        org.umview.view.Mount proc = ProcFile.standIn(view);
        this.listings = new MountListings(view, proc);
        this.statusFiles = new ProcStatusFiles(control, proc);
        this.memory = memory;
        this.resolver = resolver;
        this.files = files;
        this.descriptors = descriptors;
        this.interpreters = new ExecInterpreters(view, memory, table.number("execve"));
    }

    /* Calls that add or remove names: symlinks learned before may have changed. */
    private static final java.util.Set<String> RENAMING = java.util.Set.of("rename", "renameat", "renameat2",
            "unlink", "unlinkat", "rmdir", "symlink", "symlinkat", "link", "linkat", "mount", "umount2");

    Verdict decide(SyscallRequest request) {
        if (view.mounts().isEmpty()) {
            return Verdict.CONTINUE;
        }
        if (RENAMING.contains(request.call().name())) {
            resolver.namesChanged();
        }
        List<PathArgument> arguments = PathArgument.of(request);
        List<Resolved> resolved = new ArrayList<>(arguments.size());
        boolean crossesMount = false;
        for (PathArgument argument : arguments) {
            int dirfd = argument.dirfdIndex() >= 0 ? (int) request.arg(argument.dirfdIndex()) : AT_FDCWD;
            if (request.arg(argument.index()) == 0 && argument.dirfdIndex() >= 0) {
                return descriptors.onDirfd(request, dirfd); // utimensat(fd, NULL, ...)
            }
            if (request.arg(argument.index()) == 0) {
                return Verdict.CONTINUE; // names nothing in a mount: EFAULT, or what NULL means (acct(NULL) ends accounting)
            }
            String path = memory.readString(request.tid(), request.arg(argument.index()), PATH_MAX);
            if (path == null) {
                return Verdict.error(Errno.ENAMETOOLONG);
            }
            if (path.isEmpty()) {
                if (request.process().files().get(dirfd) == null) {
                    // The host descriptor itself (AT_EMPTY_PATH, move_mount's and fspick's own flags),
                    // or an error: the kernel knows which, and which error comes first.
                    resolved.add(new Resolved("", null, false, ""));
                    continue;
                }
                return PathArgument.emptyPathAllowed(request) ? descriptors.onDirfd(request, dirfd) : Verdict.error(Errno.ENOENT);
            }
            Resolved where;
            try {
                where = resolver.resolve(request.tid(), request.tgid(), request.process(), dirfd, path,
                        argument.followLast(), request.process().epoch());
            } catch (PathException e) {
                return Verdict.error(e.errno());
            }
            if (request.call().name().startsWith("readlink")) {
                String link = resolver.virtualLink(where.path(), request.tgid(), request.process());
                if (link != null) {
                    return files.readlinkAnswer(request, link);
                }
            }
            ProcFile listing = where.virtual() ? null : procFile(where.path(), request);
            if (listing != null) {
                return files.openListing(request, listing);
            }
            resolved.add(where);
            crossesMount |= where.throughMount();
        }
        boolean virtual = false;
        for (Resolved where : resolved) {
            virtual |= where.virtual();
        }
        FileSystem.Use use = virtual ? use(request) : FileSystem.Use.LOOK;
        boolean copies = false;
        for (Resolved where : resolved) {
            copies |= use == FileSystem.Use.CHANGE && where.virtual() && where.mount().fileSystem().copiesOnChange();
        }
        boolean crosses = crossesMount;
        if (copies) {
            // A copy may take long: the caller waits for it, the rest of the view does not.
            return work.answer(true, () -> decideResolved(request, arguments, resolved, use, crosses, 0));
        }
        return decideResolved(request, arguments, resolved, use, crosses, 0);
    }

    /** A /proc file the view serves (a mount listing, a status), or null. */
    private ProcFile procFile(String path, SyscallRequest request) {
        ProcFile listing = listings.listing(path, view.of(request.process()));
        return listing != null ? listing : statusFiles.file(path, request.tid());
    }

    /**
     * The rest of {@link #decide}, once every path is resolved: where the kernel or a module
     * takes the call. {@code links}: how many symlinks leading out of served file systems were
     * followed to get here.
     */
    private Verdict decideResolved(SyscallRequest request, List<PathArgument> arguments, List<Resolved> resolved,
            FileSystem.Use use, boolean crossesMount, int links) {
        List<String> hosts = new ArrayList<>(resolved.size());
        boolean served = false;
        for (Resolved where : resolved) {
            String host = where.path();
            if (where.virtual()) {
                try {
                    host = where.mount().fileSystem().hostPath(where.inMount(), use);
                } catch (ModuleException e) {
                    return Verdict.error(e.errno());
                }
                served |= host == null;
            }
            hosts.add(host);
        }
        if (removesMountPoint(request, resolved)) {
            return Verdict.error(Errno.EBUSY);
        }
        if (changesReadOnly(request, resolved) || writeAccessInReadOnly(request, resolved)) {
            return Verdict.error(Errno.EROFS);
        }
        if (!served && request.call().name().startsWith("execve")) {
            Verdict interpreted = interpreters.decide(request, hosts.get(0));
            if (interpreted != null) {
                return interpreted;
            }
        }
        if (served) {
            FileSystem fileSystem = resolved.stream().filter(Resolved::virtual).findFirst().orElseThrow().mount().fileSystem();
            FileCalls.Redirect redirect = (index, path) -> redirected(request, arguments, resolved, use, index, path, links + 1);
            java.util.function.Supplier<Verdict> slowWay = () -> work.answer(fileSystem,
                    () -> files.serve(request, arguments, resolved, redirect));
            Verdict later = null;
            if (fileSystem.mayWaitOnTracees()) {
                later = files.statLater(request, arguments, resolved, slowWay);
                later = later != null ? later : files.openLater(request, resolved, slowWay);
            }
            return later != null ? later : slowWay.get();
        }
        if (!crossesMount) {
            if (resolved.size() == 1 && request.call().name().startsWith("open") && aboveMount(request, resolved.get(0))) {
                return Verdict.watch(fd -> {
                    if (fd >= 0) {
                        control.trapDirfd(request.tid(), (int) fd);
                    }
                });
            }
            return onHost(request, List.of());
        }
        if (resolved.size() == 1 && request.call().name().startsWith("open") && resolved.get(0).virtual()
                && resolved.get(0).mount().fileSystem().readOnly()) {
            // Calls relative to a directory of a read-only mount must be seen, to be refused.
            Verdict.ArgumentChange host = Verdict.ArgumentChange.string(arguments.get(0).index(), hosts.get(0));
            return Verdict.replace(Verdict.SAME_CALL, List.of(host), fd -> {
                if (fd >= 0) {
                    control.trapDirfd(request.tid(), (int) fd);
                }
            });
        }
        List<Verdict.ArgumentChange> changes = new ArrayList<>(2);
        for (int i = 0; i < arguments.size(); i++) {
            Resolved where = resolved.get(i);
            String host = hosts.get(i);
            // A bind of a directory must not show what a hiding or read-only mount narrowed there.
            Mount there = where.virtual() ? view.mounts().find(host, request.process().epoch(), view.of(request.process())) : null;
            boolean narrowed = there != null && there != where.mount()
                    && !where.mount().fileSystem().alongside().containsValue(there.fileSystem());
            if (narrowed && there.fileSystem().hides()) {
                return Verdict.error(Errno.ENOENT);
            }
            if (narrowed && there.fileSystem().readOnly() && changes(request)) {
                return Verdict.error(Errno.EROFS);
            }
            // A trailing "/" is the kernel's to judge (the name must be a directory): it stays.
            changes.add(Verdict.ArgumentChange.string(arguments.get(i).index(), where.slashed() && !host.endsWith("/") ? host + "/" : host));
        }
        return onHost(request, changes);
    }

    /** The call decided again with argument {@code index} at {@code path}, where a symlink out of a served file system led. */
    private Verdict redirected(SyscallRequest request, List<PathArgument> arguments, List<Resolved> resolved, FileSystem.Use use,
            int index, String path, int links) {
        if (links > MAX_SYMLINKS) {
            return Verdict.error(Errno.ELOOP);
        }
        List<Resolved> again = new ArrayList<>(resolved);
        try {
            again.set(index, resolver.resolve(request.tid(), request.tgid(), request.process(), AT_FDCWD, path,
                    arguments.get(index).followLast(), request.process().epoch()));
        } catch (PathException e) {
            return Verdict.error(e.errno());
        }
        return decideResolved(request, arguments, again, use, true, links);
    }

    private static final java.util.Set<String> CHANGING = java.util.Set.of("mkdir", "mkdirat", "rmdir", "unlink", "unlinkat",
            "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "chmod", "fchmodat", "fchmodat2",
            "chown", "lchown", "fchownat", "truncate", "utime", "utimes", "utimensat", "futimesat", "mknod", "mknodat",
            "setxattr", "lsetxattr", "removexattr", "lremovexattr", "creat", "acct");
    private static final int O_ACCMODE = 03;
    private static final int W_OK = 2;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;

    private static final java.util.Set<String> REMOVING = java.util.Set.of("unlink", "unlinkat", "rmdir", "rename",
            "renameat", "renameat2", "link", "linkat");

    private static final java.util.Set<String> STATS = java.util.Set.of("stat", "lstat", "newfstatat", "statx");

    private FileSystem.Use use(SyscallRequest request) {
        if (REMOVING.contains(request.call().name())) {
            return FileSystem.Use.REMOVE;
        }
        if (changes(request)) {
            return FileSystem.Use.CHANGE;
        }
        return STATS.contains(request.call().name()) ? FileSystem.Use.ATTRIBUTES : FileSystem.Use.LOOK;
    }

    /** Whether an unlink, rmdir or rename names a mount point of the view: busy, as the kernel's are. */
    private static boolean removesMountPoint(SyscallRequest request, List<Resolved> resolved) {
        String name = request.call().name();
        if (!REMOVING.contains(name) || name.startsWith("link")) {
            return false;
        }
        return resolved.stream().anyMatch(r -> r.virtual() && r.mount().listed() && r.path().equals(r.mount().target()));
    }

    /**
     * access(W_OK) of a file, directory or symlink in a read-only mount: EROFS before any
     * permission is looked at, as the kernel's sb_permission answers (devices, FIFOs and
     * sockets stay writable there).
     */
    private boolean writeAccessInReadOnly(SyscallRequest request, List<Resolved> resolved) {
        String name = request.call().name();
        if (!name.equals("access") && !name.equals("faccessat") && !name.equals("faccessat2")) {
            return false;
        }
        Resolved where = resolved.get(0);
        if ((request.arg(name.equals("access") ? 1 : 2) & W_OK) == 0 || !where.virtual() || !where.mount().fileSystem().readOnly()) {
            return false;
        }
        FileSystem fileSystem = where.mount().fileSystem();
        String host = fileSystem.hostPath(where.inMount());
        if (host == null) {
            return true; // a served file system's nodes: the special ones are rare, and asking may wait
        }
        try {
            int type = (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of(host), "unix:mode",
                    java.nio.file.LinkOption.NOFOLLOW_LINKS) & FileAttributes.S_IFMT;
            return type == FileAttributes.S_IFREG || type == FileAttributes.S_IFDIR || type == FileAttributes.S_IFLNK;
        } catch (java.io.IOException | RuntimeException e) {
            return false; // the kernel says what is wrong with it
        }
    }

    /** Whether the call would change something in a read-only mount (for link, the new name's). */
    private boolean changesReadOnly(SyscallRequest request, List<Resolved> resolved) {
        // The mounts first: most calls touch none that is read-only, and need no look at their flags.
        List<Resolved> changed = request.call().name().startsWith("link") ? resolved.subList(resolved.size() - 1, resolved.size())
                : resolved;
        return changed.stream().anyMatch(r -> r.virtual() && r.mount().fileSystem().readOnly()) && changes(request);
    }

    /** Whether the call changes the file system: writes, creates, removes, renames, changes attributes. */
    private boolean changes(SyscallRequest request) {
        String name = request.call().name();
        if (name.equals("open") || name.equals("openat")) {
            int flags = (int) request.arg(name.equals("open") ? 1 : 2);
            return (flags & O_ACCMODE) != 0 || (flags & (O_CREAT | O_TRUNC)) != 0;
        }
        if (name.equals("openat2")) {
            long flags = java.nio.ByteBuffer.wrap(memory.read(request.tid(), request.arg(2), 8))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(); // struct open_how starts with flags
            return (flags & O_ACCMODE) != 0 || (flags & (O_CREAT | O_TRUNC)) != 0;
        }
        return CHANGING.contains(name);
    }

    /* A host directory with a mount below it: paths relative to it may lead into the mount. */
    private boolean aboveMount(SyscallRequest request, Resolved where) {
        String prefix = where.path().equals("/") ? "/" : where.path() + "/";
        return view.mounts().visible(view.of(request.process())).stream().anyMatch(m -> m.target().startsWith(prefix));
    }

    /**
     * The kernel makes the call, with {@code changes} to its paths. A chdir to a host directory
     * from a virtual cwd makes the kernel's cwd the truth again once it succeeds.
     */
    private static Verdict onHost(SyscallRequest request, List<Verdict.ArgumentChange> changes) {
        if (request.call().name().equals("chdir") && request.process().fs().virtualCwd() != null) {
            return Verdict.replace(Verdict.SAME_CALL, changes, result -> {
                if (result == 0) {
                    request.process().fs().setVirtualCwd(null);
                }
            });
        }
        return changes.isEmpty() ? Verdict.CONTINUE : Verdict.rewrite(changes);
    }
}
