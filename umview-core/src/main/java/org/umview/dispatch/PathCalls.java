package org.umview.dispatch;

import java.util.ArrayList;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.FileSystem;
import org.umview.path.PathException;
import org.umview.path.PathResolver;
import org.umview.path.Resolved;
import org.umview.syscall.SyscallRequest;
import org.umview.view.View;

/**
 * Calls that name files by path. A path that stays on the host is left to the kernel as the
 * tracee wrote it; one that resolves into a mount is rewritten to the host path the mount maps
 * it to, or served by the mount's file system ({@link FileCalls}).
 */
final class PathCalls {
    static final int PATH_MAX = 4096;
    private static final int AT_FDCWD = -100;

    private final View view;
    private final TraceeMemory memory;
    private final PathResolver resolver;
    private final FileCalls files;
    private final DescriptorCalls descriptors;
    private final MountListings listings;
    private final ControlChannel.ViewControl control;
    private final ModuleWork work;

    PathCalls(View view, TraceeMemory memory, PathResolver resolver, FileCalls files, DescriptorCalls descriptors,
            ControlChannel.ViewControl control, ModuleWork work) {
        this.view = view;
        this.work = work;
        this.control = control;
        this.listings = new MountListings(view);
        this.memory = memory;
        this.resolver = resolver;
        this.files = files;
        this.descriptors = descriptors;
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
        boolean served = false;
        boolean crossesMount = false;
        for (PathArgument argument : arguments) {
            int dirfd = argument.dirfdIndex() >= 0 ? (int) request.arg(argument.dirfdIndex()) : AT_FDCWD;
            if (request.arg(argument.index()) == 0 && argument.dirfdIndex() >= 0) {
                return descriptors.onDirfd(request, dirfd); // utimensat(fd, NULL, ...)
            }
            String path = memory.readString(request.tid(), request.arg(argument.index()), PATH_MAX);
            if (path == null) {
                return Verdict.error(Errno.ENAMETOOLONG);
            }
            if (path.isEmpty()) {
                if (PathArgument.emptyPathAllowed(request)) {
                    return descriptors.onDirfd(request, dirfd);
                }
                return Verdict.error(Errno.ENOENT);
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
            MountListings.Listing listing = where.virtual() ? null : listings.listing(where.path(), view.of(request.process()));
            if (listing != null) {
                return files.openListing(request, listing);
            }
            resolved.add(where);
            crossesMount |= where.throughMount();
            served |= where.virtual() && where.mount().fileSystem().hostPath(where.inMount()) == null;
        }
        if (served) {
            FileSystem fileSystem = resolved.get(0).mount().fileSystem();
            return work.answer(fileSystem, () -> files.serve(request, arguments, resolved));
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
        List<Verdict.ArgumentChange> changes = new ArrayList<>(2);
        for (int i = 0; i < arguments.size(); i++) {
            Resolved where = resolved.get(i);
            String host = where.virtual() ? where.mount().fileSystem().hostPath(where.inMount()) : where.path();
            changes.add(Verdict.ArgumentChange.string(arguments.get(i).index(), host));
        }
        return onHost(request, changes);
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
