package org.umview.dispatch;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;
import org.umview.path.PathException;
import org.umview.path.PathResolver;
import org.umview.path.Resolved;
import org.umview.syscall.SyscallRequest;
import org.umview.view.Mount;
import org.umview.view.View;

/**
 * The mounts root makes with flags and no type: `mount --bind`/`--rbind` (a viewfs bind),
 * `--move` (a mount of the view moved, or a viewfs move of a host directory), `-o remount,ro`
 * and `remount,rw` (in place where the file system can, else a viewfs mount made again with the
 * new flag), and propagation changes, which a view has nothing to do with (they succeed).
 */
final class MountHabits {
    private static final Logger LOG = LoggerFactory.getLogger(MountHabits.class);
    private static final long MS_RDONLY = 1;
    private static final long MS_REMOUNT = 0x20;
    private static final long MS_BIND = 0x1000;
    private static final long MS_MOVE = 0x2000;
    private static final long PROPAGATION = (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20);
    private static final int AT_FDCWD = -100;
    private static final String VIEWFS = "viewfs";

    private final View view;
    private final TraceeMemory memory;
    private final PathResolver resolver;
    private final ControlChannel.ViewControl control;
    private final java.util.function.Function<SyscallRequest, TraceeCaller> callers;

    MountHabits(View view, TraceeMemory memory, PathResolver resolver, ControlChannel.ViewControl control,
            java.util.function.Function<SyscallRequest, TraceeCaller> callers) {
        this.callers = callers;
        this.view = view;
        this.memory = memory;
        this.resolver = resolver;
        this.control = control;
    }

    /** Whether mount(2) {@code flags} ask for one of these, whatever the type says. */
    static boolean asks(long flags) {
        return (flags & (MS_BIND | MS_MOVE | MS_REMOUNT | PROPAGATION)) != 0;
    }

    /** The mount asked for; {@code made} adds a mount a module made to the view. */
    Verdict mount(SyscallRequest request, MountMaker made) {
        long flags = request.arg(3);
        try {
            Resolved target = resolve(request, request.arg(1));
            if ((flags & MS_REMOUNT) != 0) {
                return remount(request, target, flags, made);
            }
            if ((flags & MS_MOVE) != 0) {
                return move(request, target, made);
            }
            if ((flags & MS_BIND) != 0) {
                Resolved source = resolve(request, request.arg(0));
                if (source.virtual() && source.mount().fileSystem().hostPath(source.inMount()) == null) {
                    throw new ModuleException(Errno.EINVAL, "a bind of a served file system is not built");
                }
                String host = source.virtual() ? source.mount().fileSystem().hostPath(source.inMount()) : source.path();
                return viewfs(request, host, target.path(), flags & MS_RDONLY, "bind", made);
            }
            return Verdict.result(0); // propagation: the view's mounts are its own already
        } catch (PathException e) {
            return Verdict.error(e.errno());
        } catch (ModuleException e) {
            LOG.warn("mount: {}", e.getMessage());
            return Verdict.error(e.errno());
        }
    }

    /** remount: the mount made read-only (or not) in place, or a viewfs mount made again with the new flag in place of the old one. */
    private Verdict remount(SyscallRequest request, Resolved target, long flags, MountMaker made) throws ModuleException {
        Mount old = view.mounts().at(target.path(), view.of(request.process()));
        if (old == null) {
            throw new ModuleException(Errno.EINVAL, target.path() + " is not a mount of the view");
        }
        boolean readOnly = (flags & MS_RDONLY) != 0;
        if (old.fileSystem().readOnly() == readOnly || old.fileSystem().remount(readOnly)) {
            return Verdict.result(0);
        }
        if (!old.type().equals(VIEWFS) || !old.fileSystem().alongside().isEmpty()) {
            throw new ModuleException(Errno.EINVAL, "remount of a " + old.type() + " mount is not built");
        }
        Verdict verdict = viewfs(request, old.source(), old.target(), flags & MS_RDONLY, old.options(), made);
        if (verdict instanceof Verdict.Result result && result.value() == 0) {
            view.mounts().remove(old);
            old.detach();
        }
        return verdict;
    }

    /** move: a mount of the view goes to its new place; a host directory is moved by viewfs. */
    private Verdict move(SyscallRequest request, Resolved target, MountMaker made) throws PathException, ModuleException {
        Resolved source = resolve(request, request.arg(0));
        Mount old = view.mounts().at(source.path(), view.of(request.process()));
        if (old == null) {
            return viewfs(request, source.path(), target.path(), 0, "mode=move", made);
        }
        if (old.busy() || control.cwdWithin(old.target()) || !old.fileSystem().alongside().isEmpty()) {
            return Verdict.error(Errno.EBUSY);
        }
        view.mounts().add(new Mount(target.path(), old.source(), old.type(), old.options(), old.module(), old.fileSystem(),
                old.epoch(), old.view()));
        view.mounts().remove(old);
        LOG.info("moved {} to {}", old.target(), target.path());
        return Verdict.result(0);
    }

    private Verdict viewfs(SyscallRequest request, String source, String target, long flags, String options, MountMaker made)
            throws ModuleException {
        Optional<Module> viewfs = view.moduleForType(VIEWFS);
        if (viewfs.isEmpty()) {
            viewfs = view.loadForType(VIEWFS);
            control.trapsChanged();
        }
        Module module = viewfs.orElseThrow(() -> new ModuleException(Errno.ENODEV, "the viewfs module is not available"));
        MountRequest mountRequest = new MountRequest(source, target, VIEWFS, flags, options,
                callers.apply(request));
        return made.mount(module, mountRequest, request);
    }

    private Resolved resolve(SyscallRequest request, long pointer) throws PathException, ModuleException {
        String path = pointer == 0 ? null : memory.readString(request.tid(), pointer, PathCalls.PATH_MAX);
        if (path == null) {
            throw new ModuleException(pointer == 0 ? Errno.EFAULT : Errno.ENAMETOOLONG);
        }
        return resolver.resolve(request.tid(), request.tgid(), request.process(), AT_FDCWD, path, true, request.process().epoch());
    }

    /** How a module's mount becomes one of the view's ({@link MountCalls}). */
    @FunctionalInterface
    interface MountMaker {
        Verdict mount(Module module, MountRequest mountRequest, SyscallRequest request);
    }
}
