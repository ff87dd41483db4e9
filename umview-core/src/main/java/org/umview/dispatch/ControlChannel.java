package org.umview.dispatch;

import org.umview.libc.Errno;
import org.umview.syscall.SyscallRequest;

/**
 * The virtual system call by which programs inside a view talk to their supervisor. Its
 * number is unassigned by Linux, so outside a view the kernel answers ENOSYS: that is how an
 * in-view command knows it is not inside umview, without starting a JVM.
 *
 * <p>{@code syscall(UMVIEW_CONTROL, op, ...)}; op {@link #OP_PROBE} answers the protocol version.
 */
public final class ControlChannel {
    /** Far above any Linux call number, below the x32 bit: never a real call. */
    public static final int SYSCALL_NUMBER = 0x7a55;
    public static final int OP_PROBE = 0;
    public static final int PROTOCOL_VERSION = 1;

    Verdict serve(SyscallRequest request) {
        if (request.arg(0) == OP_PROBE) {
            return Verdict.result(PROTOCOL_VERSION);
        }
        return Verdict.error(Errno.EINVAL);
    }
}
