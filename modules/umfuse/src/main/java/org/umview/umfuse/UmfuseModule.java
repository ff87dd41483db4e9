package org.umview.umfuse;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;
import org.umview.module.OpenFile;

/**
 * umfuse: FUSE file system programs, unmodified, serving mounts in the view. It places
 * /dev/fuse in the view; a program that opens it and mounts type fuse with {@code fd=N} gets
 * its requests from there. {@code mount -t umfuseXXX} starts the program for XXX inside the
 * view and returns once the program has answered INIT.
 */
public final class UmfuseModule implements Module {
    private static final Logger LOG = LoggerFactory.getLogger(UmfuseModule.class);
    /** How long a program may take from its start to its answer to INIT. */
    private static final long START_SECONDS = 60;

    /** A mount -t umfuseXXX waiting for the program it started to mount. */
    private record Launch(ProgramCall call, CompletableFuture<FuseFileSystem> connected) {
    }

    private final Map<String, Launch> launches = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "umfuse";
    }

    @Override
    public String description() {
        return "FUSE file system programs (fuse2fs, fusefat, fuseiso, squashfuse, any other) serving mounts";
    }

    @Override
    public boolean serves(String type) {
        return type.startsWith(name()) || type.equals("fuse") || type.startsWith("fuse.") || type.equals("fuseblk")
                || type.startsWith("fuseblk.");
    }

    @Override
    public Map<String, FileSystem> files() {
        return Map.of("/dev/fuse", new FuseDevice());
    }

    @Override
    public boolean mountsWaitOnTracees() {
        return true;
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        return request.type().startsWith(name()) ? launch(request) : connect(request);
    }

    /** A FUSE program mounts: type fuse, fd=N its open /dev/fuse. */
    private FileSystem connect(MountRequest request) throws ModuleException {
        String fd = request.option("fd");
        OpenFile device;
        try {
            device = fd == null ? null : request.caller().openFile(Integer.parseInt(fd));
        } catch (NumberFormatException e) {
            device = null;
        }
        if (!(device instanceof Channel channel)) {
            throw new ModuleException(Errno.EINVAL, "fuse mount without fd=N of an open /dev/fuse");
        }
        Launch launch = launches.get(request.target());
        Credentials credentials = launch != null ? launch.call().credentials() : Credentials.OWNER;
        boolean readOnly = (request.flags() & MountRequest.READ_ONLY) != 0 || (launch != null && launch.call().readOnly());
        boolean human = launch != null && launch.call().human();
        CompletableFuture<Integer> ended = request.caller().serve();
        FuseFileSystem fileSystem = new FuseFileSystem(channel, ended, request.caller().serviceStopper(), credentials,
                readOnly, human);
        fileSystem.start();
        if (launch != null) {
            launch.connected().complete(fileSystem);
        }
        return fileSystem;
    }

    /** mount -t umfuseXXX: the program mounts itself; this returns null once it answered INIT. */
    private FileSystem launch(MountRequest request) throws ModuleException {
        ProgramCall call = ProgramCall.of(request, request.caller().cwd());
        if (call.showCall()) {
            LOG.warn("umfuse: {}", String.join(" ", call.command()));
        }
        Launch launch = new Launch(call, new CompletableFuture<>());
        if (launches.putIfAbsent(request.target(), launch) != null) {
            throw new ModuleException(Errno.EBUSY, "a FUSE program is already being mounted on " + request.target());
        }
        try {
            CompletableFuture<Integer> ended = request.caller().start(call.command());
            CompletableFuture<Object> mounted = launch.connected().thenCompose(FuseFileSystem::initialized).thenApply(v -> v);
            Object first = CompletableFuture.anyOf(mounted, ended).get(START_SECONDS, TimeUnit.SECONDS);
            if (mounted.isDone() && !mounted.isCompletedExceptionally()) {
                return null;
            }
            if (mounted.isCompletedExceptionally()) {
                mounted.join();
            }
            int status = first instanceof Integer s ? s : -1;
            throw new ModuleException(Errno.EINVAL, call.command().get(0) + " " + describe(status) + " without mounting");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof ModuleException m) {
                throw m;
            }
            throw new ModuleException(Errno.EINVAL, "cannot start " + call.command().get(0) + ": " + cause.getMessage());
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof ModuleException m ? m : new ModuleException(Errno.EIO);
        } catch (TimeoutException e) {
            throw new ModuleException(Errno.ETIMEDOUT, call.command().get(0) + " did not answer within " + START_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException(Errno.EINTR);
        } finally {
            launches.remove(request.target(), launch);
        }
    }

    private static String describe(int status) {
        if ((status & 0x7f) == 0) {
            return "exited with status " + ((status >> 8) & 0xff);
        }
        return "was killed by signal " + (status & 0x7f);
    }
}
