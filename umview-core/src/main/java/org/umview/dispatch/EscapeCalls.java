package org.umview.dispatch;

import java.util.List;
import org.umview.libc.Errno;
import org.umview.process.ProcessState;
import org.umview.syscall.SyscallRequest;
import org.umview.view.View;

/**
 * Calls that would reach files or processes around the view, refused in a view that hides
 * or narrows anything: io_uring (its requests never pass the tracer), file handles (a handle
 * opens a file without its path), and ptrace or process_vm_* aimed at a process outside the
 * view (the supervisor included).
 */
final class EscapeCalls {
    static final List<String> CALLS = List.of("io_uring_setup", "open_by_handle_at", "name_to_handle_at", "ptrace",
            "process_vm_readv", "process_vm_writev");
    private static final int EOPNOTSUPP = 95;
    private static final long PTRACE_ATTACH = 16;
    private static final long PTRACE_SEIZE = 0x4206;

    private final View view;
    private final ControlChannel.ViewControl control;

    EscapeCalls(View view, ControlChannel.ViewControl control) {
        this.view = view;
        this.control = control;
    }

    Verdict decide(SyscallRequest request) {
        if (!narrowed(request.process())) {
            return Verdict.CONTINUE;
        }
        return switch (request.call().name()) {
            // As a kernel without io_uring: programs fall back to ordinary calls.
            case "io_uring_setup" -> Verdict.error(Errno.ENOSYS);
            case "name_to_handle_at" -> Verdict.error(EOPNOTSUPP);
            case "open_by_handle_at" -> Verdict.error(Errno.EPERM);
            case "ptrace" -> {
                long op = request.arg(0);
                boolean attach = op == PTRACE_ATTACH || op == PTRACE_SEIZE;
                yield attach && !control.inView((int) request.arg(1)) ? Verdict.error(Errno.EPERM) : Verdict.CONTINUE;
            }
            default -> control.inView((int) request.arg(0)) ? Verdict.CONTINUE : Verdict.error(Errno.EPERM);
        };
    }

    private boolean narrowed(ProcessState process) {
        return view.mounts().visible(view.of(process)).stream()
                .anyMatch(m -> m.fileSystem().hides() || m.fileSystem().readOnly());
    }
}
