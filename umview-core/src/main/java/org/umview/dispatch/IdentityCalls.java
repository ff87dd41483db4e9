package org.umview.dispatch;

import java.util.Set;
import org.umview.memory.TraceeMemory;
import org.umview.process.ProcessState;
import org.umview.seccomp.TrapSet;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;

/**
 * util-linux mount(8) and umount(8) serve ordinary users only for fstab entries marked
 * "user". In a view the mounts they make are the view's own, so they are told they run as
 * root: their uid and gid calls answer 0. Nothing else changes: the kernel still checks the
 * real ids on everything it does for them.
 */
final class IdentityCalls {
    private static final Set<String> COMMANDS = Set.of("/usr/bin/mount", "/usr/bin/umount", "/bin/mount", "/bin/umount",
            "/usr/sbin/mount", "/usr/sbin/umount", "/sbin/mount", "/sbin/umount");
    private static final Set<String> SINGLE = Set.of("getuid", "geteuid", "getgid", "getegid");
    private static final Set<String> TRIPLE = Set.of("getresuid", "getresgid");

    private final TraceeMemory memory;
    private final TrapSet traps = new TrapSet();

    IdentityCalls(TraceeMemory memory, SyscallTable table) {
        this.memory = memory;
        SINGLE.forEach(name -> traps.always(table.number(name)));
        TRIPLE.forEach(name -> traps.always(table.number(name)));
    }

    /** A process executed {@code executable}: the traps it needs to be told it is root, or null. */
    TrapSet execed(ProcessState process, String executable) {
        boolean mountCommand = executable != null && COMMANDS.contains(executable);
        process.setSuperuser(mountCommand);
        return mountCommand ? traps : null;
    }

    boolean serves(String call) {
        return SINGLE.contains(call) || TRIPLE.contains(call);
    }

    Verdict decide(SyscallRequest request) {
        if (!request.process().superuser()) {
            return Verdict.CONTINUE;
        }
        if (TRIPLE.contains(request.call().name())) {
            for (int i = 0; i < 3; i++) {
                memory.write(request.tid(), request.arg(i), new byte[4]);
            }
        }
        return Verdict.result(0);
    }
}
