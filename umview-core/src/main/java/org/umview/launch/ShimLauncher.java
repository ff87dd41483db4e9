package org.umview.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;
import org.umview.libc.Errno;
import org.umview.libc.Native;
import org.umview.libc.NativeException;
import org.umview.libc.ProcessControl;

/**
 * Starts the shim, the first process of a view, with posix_spawn: never through
 * ProcessBuilder, whose reaper thread would steal the ptrace stops of its child. Must be
 * called on the tracer thread: the shim's parent-death signal and the tracer's waitpid are
 * both tied to the thread that spawned it.
 */
public final class ShimLauncher {
    private static final int O_CLOEXEC = 0x80000;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** The shim reads its instructions from this descriptor. */
    private static final int SYNC_FD = 3;
    private static final String HANDED = "UMVIEW_HANDED_FDS";

    private final Path shim;
    private final Path tools;

    public ShimLauncher(Installation installation) {
        this.shim = installation.shim();
        this.tools = installation.tools();
    }

    /** A spawned shim, waiting on its pipe until {@link #release} hands it the seccomp filter. */
    public record Spawned(int pid, int syncFd) {
    }

    /**
     * The view's first process. The descriptors umview's caller handed over (listed by the
     * launcher in {@code UMVIEW_HANDED_FDS}) reach it at their numbers: the pipe goes above them.
     */
    public Spawned spawn(List<String> command) {
        int syncFd = SYNC_FD;
        String handed = System.getenv(HANDED);
        for (String fd : handed == null ? new String[0] : handed.trim().split("\\s+")) {
            if (fd.matches("\\d{1,7}")) {
                syncFd = Math.max(syncFd, Integer.parseInt(fd) + 1);
            }
        }
        return spawnWithPipe(shimCommand(command, syncFd), withToolsOnPath(environment()), null, syncFd);
    }

    /**
     * A shim for a program started by the view itself (a FUSE program serving a mount), with
     * {@code stdio} (three descriptors of the supervisor's) as its standard descriptors, in /.
     * It gets none of the descriptors umview's caller handed over.
     */
    public Spawned spawn(List<String> command, int[] stdio) {
        String[] environment = java.util.Arrays.stream(environment()).filter(e -> !e.startsWith(HANDED + "="))
                .toArray(String[]::new);
        return spawnWithPipe(shimCommand(command, SYNC_FD), withToolsOnPath(environment), stdio, SYNC_FD);
    }

    private List<String> shimCommand(List<String> command, int syncFd) {
        List<String> argv = new ArrayList<>();
        argv.add(shim.toString());
        argv.add(Integer.toString(syncFd));
        argv.addAll(command);
        return argv;
    }

    /**
     * Starts the tracer's doorbell: an untraced child that stops itself whenever a byte is
     * written to the returned descriptor, so that a waitpid in the tracer returns.
     */
    public Spawned spawnDoorbell() {
        return spawnWithPipe(List.of(shim.toString(), "--doorbell", Integer.toString(SYNC_FD)), environment(), null, SYNC_FD);
    }

    /** Spawns {@code argv} with the read end of a new pipe as descriptor {@code syncFd}; returns the write end. */
    private Spawned spawnWithPipe(List<String> argv, String[] environment, int[] stdio, int syncFd) {
        ProcessControl pc = Native.processControl();
        Pointer fds = Native.allocate(8);
        if (pc.pipe2(fds, O_CLOEXEC) != 0) {
            throw new NativeException("pipe2", Native.errno());
        }
        int readFd = fds.getInt(0);
        int writeFd = fds.getInt(4);
        Pointer actions = Native.allocate(256);
        Pointer attr = Native.allocate(512);
        Pointer noSignals = Native.allocate(128);
        Pointer allSignals = Native.allocate(128);
        Pointer pid = Native.allocate(8);
        try {
            pc.posix_spawn_file_actions_init(actions);
            if (stdio != null) {
                for (int fd = 0; fd < stdio.length; fd++) {
                    pc.posix_spawn_file_actions_adddup2(actions, stdio[fd], fd);
                }
                pc.posix_spawn_file_actions_addchdir_np(actions, "/");
            }
            pc.posix_spawn_file_actions_adddup2(actions, readFd, syncFd);
            pc.posix_spawnattr_init(attr);
            pc.sigemptyset(noSignals);
            pc.sigfillset(allSignals);
            pc.posix_spawnattr_setsigmask(attr, noSignals);
            pc.posix_spawnattr_setsigdefault(attr, allSignals);
            pc.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
            int error = pc.posix_spawn(pid, shim.toString(), actions, attr, argv.toArray(new String[0]), environment);
            if (error != 0) {
                pc.close(writeFd);
                throw new NativeException("posix_spawn " + shim, error);
            }
            return new Spawned(pid.getInt(0), writeFd);
        } finally {
            pc.close(readFd);
            pc.posix_spawn_file_actions_destroy(actions);
            pc.posix_spawnattr_destroy(attr);
        }
    }

    /**
     * Lets an attached shim go on: it installs {@code filter} (with a new listener, which it
     * announces on the control channel, when {@code withListener}) and executes the command.
     */
    public void release(Spawned shim, byte[] filter, boolean withListener) {
        ProcessControl pc = Native.processControl();
        int header = 8;
        Pointer message = Native.allocate(header + filter.length);
        message.putInt(0, filter.length / 8);
        message.putInt(4, withListener ? 1 : 0);
        message.put(header, filter, 0, filter.length);
        try {
            long written = pc.write(shim.syncFd(), message, header + filter.length);
            if (written != header + filter.length) {
                throw new NativeException("write to the shim", written < 0 ? Native.errno() : Errno.EIO);
            }
        } finally {
            pc.close(shim.syncFd());
        }
    }

    /** Gives up on a shim that could not be attached: it exits without running anything. */
    public void abandon(Spawned shim) {
        Native.processControl().close(shim.syncFd());
    }

    /* The in-view commands come first on PATH, ahead of any same-named host program. */
    private String[] withToolsOnPath(String[] environment) {
        for (int i = 0; i < environment.length; i++) {
            if (environment[i].startsWith("PATH=")) {
                environment[i] = "PATH=" + tools + ":" + environment[i].substring(5);
                return environment;
            }
        }
        String[] more = java.util.Arrays.copyOf(environment, environment.length + 1);
        more[environment.length] = "PATH=" + tools + ":/usr/local/bin:/usr/bin:/bin";
        return more;
    }

    /* The environment umview was started with, byte for byte and in its order. */
    private static String[] environment() {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/self/environ"));
            List<String> variables = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    variables.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return variables.toArray(new String[0]);
        } catch (IOException e) {
            return System.getenv().entrySet().stream().map(v -> v.getKey() + "=" + v.getValue()).toArray(String[]::new);
        }
    }
}
