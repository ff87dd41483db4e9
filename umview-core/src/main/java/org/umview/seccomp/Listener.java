package org.umview.seccomp;

import jnr.ffi.Pointer;
import org.umview.libc.Errno;
import org.umview.libc.Native;
import org.umview.libc.ProcessControl;

/**
 * The supervisor's end of a seccomp filter's user notifications: the calls the filter sends
 * here wait in the kernel, with no ptrace stop, until they are answered. Each is let through
 * ({@code FLAG_CONTINUE}), or answered with a result or an error. With the synchronous wake-up
 * (Linux 6.6) the thread waiting here runs on the caller's CPU and back, which on a VM costs a
 * tenth of a ptrace stop.
 *
 * <p>One thread waits on a listener at a time; answers may come from any thread.
 */
public final class Listener implements AutoCloseable {
    private static final long SYS_IOCTL = 16;
    private static final long SYS_POLL = 7;
    /* _IOWR('!', 0, struct seccomp_notif), _IOWR('!', 1, struct seccomp_notif_resp), _IOW('!', 4, __u64) */
    private static final long NOTIF_RECV = 0xc0502100L;
    private static final long NOTIF_SEND = 0xc0182101L;
    private static final long NOTIF_SET_FLAGS = 0x40082104L;
    /* _IOW('!', 3, struct seccomp_notif_addfd): id(8) flags(4) srcfd(4) newfd(4) newfd_flags(4) */
    private static final long NOTIF_ADDFD = 0x40182103L;
    private static final int ADDFD_SIZE = 24;
    private static final long FD_SYNC_WAKE_UP = 1;
    private static final int FLAG_CONTINUE = 1;
    /* struct seccomp_notif: id(8) pid(4) flags(4), then seccomp_data: nr(4) arch(4) ip(8) args[6] */
    private static final int NOTIF_SIZE = 80;
    private static final int RESP_SIZE = 24;
    private static final short POLLIN = 1;
    private static final short POLLHUP = 0x10;

    private final int fd;
    private final Pointer received = Native.allocate(NOTIF_SIZE);
    private final Pointer pollFd = Native.allocate(8);

    /** A call waiting for its answer: {@code id} names it in the answer. */
    public record Notification(long id, int tid, int number, long[] args) {
    }

    /** Takes {@code fd}, a listener descriptor of the supervisor's; closed with this. */
    public Listener(int fd) {
        this.fd = fd;
    }

    /** Asks the kernel to wake the waiting thread on the caller's CPU; false where it cannot (before Linux 6.6). */
    public boolean wakeUpSynchronously() {
        return Native.processControl().syscall(SYS_IOCTL, fd, NOTIF_SET_FLAGS, FD_SYNC_WAKE_UP) == 0;
    }

    /**
     * Waits for the next notified call; null once no process uses the filter any more (its
     * last one is gone) or the descriptor failed.
     */
    public Notification next() {
        ProcessControl pc = Native.processControl();
        while (true) {
            // poll first: a receive would wait forever on a filter whose processes are all gone.
            pollFd.putInt(0, fd);
            pollFd.putShort(4, POLLIN);
            pollFd.putShort(6, (short) 0);
            long ready = pc.syscall(SYS_POLL, pollFd.address(), 1, -1);
            short events = pollFd.getShort(6);
            if (ready < 0 && Native.errno() == Errno.EINTR) {
                continue;
            }
            if (ready < 0 || (events & POLLIN) == 0 && (events & POLLHUP) != 0) {
                return null;
            }
            received.setMemory(0, NOTIF_SIZE, (byte) 0);
            if (pc.syscall(SYS_IOCTL, fd, NOTIF_RECV, received.address()) != 0) {
                int errno = Native.errno();
                if (errno == Errno.EINTR || errno == Errno.ENOENT) {
                    continue; // the caller was interrupted (a signal) before its call was taken
                }
                return null;
            }
            long[] args = new long[6];
            for (int i = 0; i < args.length; i++) {
                args[i] = received.getLong(32 + 8L * i);
            }
            return new Notification(received.getLong(0), received.getInt(8), received.getInt(16), args);
        }
    }

    /** Lets the call run in the kernel as it was made. False if it is no longer waiting (a signal took it). */
    public boolean letThrough(long id) {
        return send(id, 0, 0, FLAG_CONTINUE);
    }

    /** Ends the call without running it: the caller sees {@code value} (a result, or -errno). */
    public boolean answer(long id, long value) {
        boolean error = value < 0 && value >= -4095;
        return send(id, error ? 0 : value, error ? (int) value : 0, 0);
    }

    /**
     * Places a copy of the supervisor's descriptor {@code fd} in the caller's table, with
     * {@code flags} (O_CLOEXEC or 0), and does not answer the call yet: the new descriptor's
     * number, or -errno (ENOENT: the call is no longer waiting).
     */
    public int addDescriptor(long id, int fd, int flags) {
        Pointer request = Native.allocate(ADDFD_SIZE);
        request.putLong(0, id);
        request.putInt(8, 0);
        request.putInt(12, fd);
        request.putInt(16, 0);
        request.putInt(20, flags);
        int added = (int) Native.processControl().syscall(SYS_IOCTL, this.fd, NOTIF_ADDFD, request.address());
        return added < 0 ? -Native.errno() : added;
    }

    private boolean send(long id, long value, int error, int flags) {
        Pointer response = Native.allocate(RESP_SIZE);
        response.putLong(0, id);
        response.putLong(8, value);
        response.putInt(16, error);
        response.putInt(20, flags);
        return Native.processControl().syscall(SYS_IOCTL, fd, NOTIF_SEND, response.address()) == 0;
    }

    @Override
    public void close() {
        Native.processControl().close(fd);
    }
}
