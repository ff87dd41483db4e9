package org.umview.dispatch;

import java.util.ArrayList;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.path.PathException;
import org.umview.path.PathResolver;
import org.umview.path.Resolved;
import org.umview.syscall.SyscallRequest;
import org.umview.view.Epoch;
import org.umview.view.View;

/**
 * Calls that name files by path. A path that resolves into a mount goes to that mount's
 * file system; one that stays on the host is left to the kernel as the tracee wrote it.
 */
final class PathCalls {
    static final int PATH_MAX = 4096;
    private static final int AT_FDCWD = -100;

    private final View view;
    private final TraceeMemory memory;
    private final PathResolver resolver;

    PathCalls(View view, TraceeMemory memory, PathResolver resolver) {
        this.view = view;
        this.memory = memory;
        this.resolver = resolver;
    }

    Verdict decide(SyscallRequest request) {
        if (view.mounts().isEmpty()) {
            return Verdict.CONTINUE;
        }
        List<Verdict.ArgumentChange> changes = new ArrayList<>(2);
        for (PathArgument argument : PathArgument.of(request)) {
            String path = memory.readString(request.tid(), request.arg(argument.index()), PATH_MAX);
            if (path == null) {
                return Verdict.error(Errno.ENAMETOOLONG);
            }
            if (path.isEmpty()) {
                continue; // AT_EMPTY_PATH names the dirfd; otherwise the kernel answers ENOENT
            }
            int dirfd = argument.dirfdIndex() >= 0 ? (int) request.arg(argument.dirfdIndex()) : AT_FDCWD;
            Resolved resolved;
            try {
                resolved = resolver.resolve(request.tid(), request.tgid(), dirfd, path, argument.followLast(), Epoch.now());
            } catch (PathException e) {
                return Verdict.error(e.errno());
            }
            if (!resolved.throughMount()) {
                continue;
            }
            String host = resolved.virtual()
                    ? resolved.mount().fileSystem().hostPath(resolved.inMount()) : resolved.path();
            if (host == null) {
                return Verdict.error(Errno.ENOSYS); // file systems that serve calls themselves: not yet
            }
            changes.add(Verdict.ArgumentChange.string(argument.index(), host));
        }
        return changes.isEmpty() ? Verdict.CONTINUE : Verdict.rewrite(changes);
    }
}
