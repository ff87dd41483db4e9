package org.umview.dispatch;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.BlockDevice;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;
import org.umview.path.PathException;
import org.umview.path.PathResolver;
import org.umview.path.Resolved;
import org.umview.syscall.SyscallRequest;
import org.umview.view.Epoch;
import org.umview.view.Mount;
import org.umview.view.View;

/**
 * mount(2) and umount2(2): a type served by a loaded module mounts in the view, and so do
 * bind, move and remount ({@link MountHabits}); anything else goes to the kernel, which
 * answers as it would outside the view (refused in a narrowed view).
 */
final class MountCalls {
    private static final Logger LOG = LoggerFactory.getLogger(MountCalls.class);
    private static final int AT_FDCWD = -100;
    private static final int MNT_DETACH = 0x2;
    private static final int UMOUNT_NOFOLLOW = 0x8;
    private static final int MAX_TYPE = 256;
    private static final int MAX_OPTIONS = 4096;

    private final View view;
    private final TraceeMemory memory;
    private final PathResolver resolver;
    private final ModuleWork work;
    private final ControlChannel.ViewControl control;

    private final EscapeCalls escapes;
    private final MountHabits habits;
    /** The mounts made from a block device of the view, which learns when they end. */
    private final java.util.Map<Mount, BlockDevice> fromDevices = new java.util.concurrent.ConcurrentHashMap<>();
    private final org.umview.net.SocketTable<org.umview.module.ConnectedFile> connected;

    /** Whether a stack's mount is some process's default or has open sockets: then it stays. */
    private final java.util.function.Predicate<Mount> stackInUse;

    MountCalls(View view, TraceeMemory memory, PathResolver resolver, ModuleWork work, ControlChannel.ViewControl control,
            EscapeCalls escapes, java.util.function.Predicate<Mount> stackInUse,
            org.umview.net.SocketTable<org.umview.module.ConnectedFile> connected) {
        this.escapes = escapes;
        this.stackInUse = stackInUse;
        this.connected = connected;
        this.habits = new MountHabits(view, memory, resolver, control, this::caller);
        this.view = view;
        this.memory = memory;
        this.resolver = resolver;
        this.work = work;
        this.control = control;
    }

    /** mount(source, target, type, flags, data). */
    Verdict mount(SyscallRequest request) {
        if (MountHabits.asks(request.arg(3))) {
            return habits.mount(request, this::mount);
        }
        if (request.arg(2) == 0) {
            return escapes.kernelMount(request);
        }
        String type = memory.readString(request.tid(), request.arg(2), MAX_TYPE);
        Optional<Module> module = type == null ? Optional.empty() : view.moduleForType(type);
        if (module.isEmpty() && type != null) {
            try {
                module = view.loadForType(type);
            } catch (ModuleException e) {
                return Verdict.error(e.errno());
            }
            if (module.isPresent()) {
                LOG.info("loaded module {} for mount type {}", module.get().name(), type);
                control.trapsChanged();
            }
        }
        if (module.isEmpty()) {
            return escapes.kernelMount(request);
        }
        String source = request.arg(0) == 0 ? "none" : memory.readString(request.tid(), request.arg(0), PathCalls.PATH_MAX);
        String target = memory.readString(request.tid(), request.arg(1), PathCalls.PATH_MAX);
        String options = request.arg(4) == 0 ? "" : memory.readString(request.tid(), request.arg(4), MAX_OPTIONS);
        if (source == null || target == null || options == null) {
            return Verdict.error(Errno.ENAMETOOLONG);
        }
        Resolved where;
        try {
            where = resolver.resolve(request.tid(), request.tgid(), request.process(), AT_FDCWD, target, true,
                    request.process().epoch());
        } catch (PathException e) {
            return Verdict.error(e.errno());
        }
        Module serving = module.get();
        BlockDevice device = blockDevice(request, source);
        String image;
        try {
            image = device == null ? null : device.image();
        } catch (ModuleException e) {
            LOG.warn("mount of {}: {}", source, e.getMessage());
            return Verdict.error(e.errno());
        }
        long flags = request.arg(3) | (device != null && device.readOnly() ? MountRequest.READ_ONLY : 0);
        // Made before the program that serves the mount is given its view of the moment.
        Mount missing = serving.mountsWaitOnTracees() && !where.virtual() ? missingDirectories(where.path(), serving, request) : null;
        MountRequest mountRequest = new MountRequest(image != null ? image : source, where.path(), view.typeOf(type), flags,
                options, caller(request));
        return work.answer(serving.mountsWaitOnTracees(), () -> {
            try {
                Verdict verdict = mount(serving, mountRequest, request, source);
                if (device != null && verdict instanceof Verdict.Result result && result.value() == 0) {
                    device.mounted();
                    Mount made = view.mounts().at(where.path(), view.of(request.process()));
                    if (made != null) {
                        fromDevices.put(made, device);
                    }
                }
                return verdict;
            } finally {
                if (missing != null) {
                    view.mounts().remove(missing);
                }
            }
        });
    }

    /** The block device of the view that {@code source} names (a loop device), or null. */
    private BlockDevice blockDevice(SyscallRequest request, String source) {
        if (!source.startsWith("/") && !source.startsWith(".")) {
            return null; // "none", a host name, a device the caller names relative to nothing
        }
        try {
            Resolved resolved = resolver.resolve(request.tid(), request.tgid(), request.process(), AT_FDCWD, source, true,
                    request.process().epoch());
            return resolved.virtual() ? resolved.mount().fileSystem().blockDevice() : null;
        } catch (PathException e) {
            return null; // the module says what is wrong with its source
        }
    }

    /** The process making a mount, as its module sees it. */
    TraceeCaller caller(SyscallRequest request) {
        return new TraceeCaller(request, control, view.of(request.process()), view.serviceEpoch(), connected);
    }

    /**
     * Where the target (and directories above it) do not exist on the host: empty directories
     * there while the mount is made, for a program of the view that checks its mount point;
     * null when the target exists.
     */
    private Mount missingDirectories(String target, Module module, SyscallRequest request) {
        java.nio.file.Path path = java.nio.file.Path.of(target);
        java.nio.file.Path top = path;
        while (top.getParent() != null && !java.nio.file.Files.exists(top.getParent(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            top = top.getParent();
        }
        if (java.nio.file.Files.exists(top, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        java.util.List<String> below = new java.util.ArrayList<>();
        top.relativize(path).forEach(name -> below.add(name.toString()));
        if (below.size() == 1 && below.get(0).isEmpty()) {
            below.clear();
        }
        Mount missing = Mount.unlisted(top.toString(), module, new org.umview.view.MissingDirectories(below,
                org.umview.process.ProcStatus.uid(request.tid()), org.umview.process.ProcStatus.gid(request.tid())),
                view.of(request.process()));
        view.mounts().add(missing);
        return missing;
    }

    /** Makes {@code mountRequest} with {@code module} and adds it to the view. */
    Verdict mount(Module module, MountRequest mountRequest, SyscallRequest request) {
        return mount(module, mountRequest, request, mountRequest.source());
    }

    /** As {@link #mount(Module, MountRequest, SyscallRequest)}, listed with {@code listedSource} (a loop device, not its file). */
    private Verdict mount(Module module, MountRequest mountRequest, SyscallRequest request, String listedSource) {
        try {
            FileSystem fileSystem = module.mount(mountRequest);
            if (fileSystem instanceof org.umview.module.NetworkStack stack && stack.reachesHost() && view.networkless()) {
                fileSystem.unmount();
                throw new ModuleException(Errno.EPERM, "the view has no network (umview --net none): no "
                        + mountRequest.type() + " stack in it");
            }
            if (fileSystem != null) {
                Mount mount = new Mount(mountRequest.target(), listedSource, mountRequest.type(),
                        mountRequest.options(), module, fileSystem, Epoch.next(), view.of(request.process()));
                view.mounts().add(mount);
                fileSystem.alongside().forEach((target, companion) -> view.mounts().add(Mount.alongside(mount, target, companion)));
                if (fileSystem.narrows() || fileSystem.alongside().values().stream().anyMatch(FileSystem::narrows)
                        || fileSystem instanceof org.umview.module.NetworkStack || !fileSystem.connectedIoctls().isEmpty()) {
                    control.trapsChanged(); // from now on every path call (or socket call, or its files' ioctls) is seen
                }
            }
            LOG.info("mounted {} on {} (type {})", mountRequest.source(), mountRequest.target(), mountRequest.type());
            return Verdict.result(0);
        } catch (ModuleException e) {
            // mount(8) can only say what errno means: the module's own reason is shown too.
            LOG.warn("mount of {} on {} (type {}) failed: {}", mountRequest.source(), mountRequest.target(),
                    mountRequest.type(), e.getMessage());
            return Verdict.error(e.errno());
        }
    }

    /** umount2(target, flags). */
    Verdict umount(SyscallRequest request) {
        if (view.mounts().isEmpty()) {
            return Verdict.CONTINUE;
        }
        String target = memory.readString(request.tid(), request.arg(0), PathCalls.PATH_MAX);
        if (target == null) {
            return Verdict.error(Errno.ENAMETOOLONG);
        }
        try {
            boolean follow = (request.arg(1) & UMOUNT_NOFOLLOW) == 0;
            Resolved where = resolver.resolve(request.tid(), request.tgid(), request.process(), AT_FDCWD, target, follow,
                    request.process().epoch());
            Mount mount = view.mounts().at(where.path(), view.of(request.process()));
            if (mount == null) {
                return Verdict.CONTINUE;
            }
            boolean lazy = (request.arg(1) & MNT_DETACH) != 0;
            if (mount.fileSystem() instanceof org.umview.module.NetworkStack && stackInUse.test(mount)) {
                return Verdict.error(Errno.EBUSY); // even lazily: its sockets would have no stack
            }
            if (!lazy && (mount.busy() || control.cwdWithin(mount.target()))) {
                return Verdict.error(Errno.EBUSY);
            }
            view.mounts().remove(mount);
            mount.detach();
            BlockDevice device = fromDevices.remove(mount);
            if (device != null) {
                device.unmounted();
            }
            for (Mount companion : view.mounts().list()) {
                if (mount.fileSystem().alongside().containsValue(companion.fileSystem())) {
                    view.mounts().remove(companion);
                    companion.detach();
                }
            }
            LOG.info("unmounted {}", where.path());
            if (lazy || !mount.fileSystem().mayWaitOnTracees()) {
                return Verdict.result(0);
            }
            // What the file system's program wrote is stored once it has exited.
            return Verdict.later(mount.fileSystem().ended().handle((ended, failure) -> Verdict.result(0)));
        } catch (PathException e) {
            return Verdict.error(e.errno());
        }
    }
}
