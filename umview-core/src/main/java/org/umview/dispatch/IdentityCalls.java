package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import org.umview.module.Caller;
import org.umview.module.Identity;
import org.umview.process.ProcStatus;
import org.umview.view.View;
import org.umview.memory.TraceeMemory;
import org.umview.process.ProcessState;
import org.umview.seccomp.TrapSet;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;

/**
 * Who a process is told it is. util-linux mount(8) and umount(8) serve ordinary users only for
 * fstab entries marked "user"; in a view the mounts they make are the view's own, so they are
 * told they run as root. A process that sees an {@link Identity} mount (ummiscuid) is told
 * the ids it holds. Nothing else changes: the kernel still checks the real ids on everything
 * it does for them.
 */
final class IdentityCalls {
    private static final Set<String> COMMANDS = Set.of("/usr/bin/mount", "/usr/bin/umount", "/bin/mount", "/bin/umount",
            "/usr/sbin/mount", "/usr/sbin/umount", "/sbin/mount", "/sbin/umount");
    private static final Set<String> SINGLE = Set.of("getuid", "geteuid", "getgid", "getegid");
    private static final Set<String> TRIPLE = Set.of("getresuid", "getresgid");
    private static final String GROUPS = "getgroups";

    private final TraceeMemory memory;
    private final View view;
    private final TrapSet traps = new TrapSet();

    IdentityCalls(TraceeMemory memory, SyscallTable table, View view) {
        this.memory = memory;
        this.view = view;
        SINGLE.forEach(name -> traps.always(table.number(name)));
        TRIPLE.forEach(name -> traps.always(table.number(name)));
        traps.always(table.number(GROUPS));
    }

    /** The calls to trap in every process of a view where an identity module is loaded. */
    TrapSet traps() {
        return traps;
    }

    /** A process executed {@code executable}: the traps it needs to be told it is root, or null. */
    TrapSet execed(ProcessState process, String executable) {
        boolean mountCommand = executable != null && COMMANDS.contains(executable);
        process.setSuperuser(mountCommand);
        return mountCommand ? traps : null;
    }

    boolean serves(String call) {
        return SINGLE.contains(call) || TRIPLE.contains(call) || call.equals(GROUPS);
    }

    /** The {uid, gid} {@code process} is told it has, or null when it is told the kernel's. */
    int[] told(ProcessState process) {
        if (process.superuser()) {
            return new int[] {0, 0};
        }
        int[] own = process.identity();
        if (own != null) {
            return own;
        }
        Identity identity = identityFor(process);
        return identity == null ? null : new int[] {identity.uid(), identity.gid()};
    }

    /**
     * Who makes {@code request}, for a file system that checks permissions: the ids the
     * process is told it has, else the kernel's file-system ids and groups of the thread.
     */
    Caller caller(SyscallRequest request) {
        int[] told = told(request.process());
        if (told != null) {
            return new Caller(told[0], told[1], new int[] {told[1]}, request.tgid());
        }
        return ProcStatus.caller(request.tid(), request.tgid());
    }

    Verdict decide(SyscallRequest request) {
        int[] told = told(request.process());
        if (told == null) {
            return Verdict.CONTINUE;
        }
        int uid = told[0];
        int gid = told[1];
        String name = request.call().name();
        if (name.equals(GROUPS)) {
            if (request.arg(0) == 0) {
                return Verdict.result(1);
            }
            memory.write(request.tid(), request.arg(1), ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(gid).array());
            return Verdict.result(1);
        }
        int id = name.contains("uid") ? uid : gid;
        if (TRIPLE.contains(name)) {
            byte[] value = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(id).array();
            for (int i = 0; i < 3; i++) {
                memory.write(request.tid(), request.arg(i), value);
            }
            return Verdict.result(0);
        }
        return Verdict.result(id);
    }

    /** The newest identity mount the process sees, or null. */
    private Identity identityFor(ProcessState process) {
        java.util.List<Identity> identities = view.mounts().serving(Identity.class, view.of(process), process.epoch());
        return identities.isEmpty() ? null : identities.get(0);
    }
}
