package org.umview.net;

import jnr.ffi.Pointer;
import org.umview.libc.Errno;
import org.umview.libc.Native;
import org.umview.libc.Pidfds;
import org.umview.libc.ProcessControl;

/**
 * What the supervisor does itself to the kernel socket behind a tracee's descriptor, through a
 * copy of that descriptor (pidfd_getfd): name it, read its name and its peer's. Neither call
 * waits on anything.
 */
public final class KernelSockets {
    private static final long SOCKET = 41;
    private static final long CONNECT = 42;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final long BIND = 49;
    private static final long LISTEN = 50;
    private static final long ACCEPT4 = 288;
    private static final int SOCK_SEQPACKET = 5;
    private static final long SOCKETPAIR = 53;
    private static final long SENDTO = 44;
    private static final long RECVFROM = 45;
    private static final int MSG_OOB = 1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final long FCNTL = 72;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 04000;
    private static final long SETSOCKOPT = 54;
    private static final long GETSOCKOPT = 55;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    /** What a pair's ends ask for their send buffers (the kernel grants at most net.core.wmem_max, doubled). */
    private static final int PAIR_BUFFER = 4 << 20;
    private static final java.util.concurrent.atomic.AtomicLong PAIRS = new java.util.concurrent.atomic.AtomicLong();
    private static final long GETSOCKNAME = 51;
    private static final long GETPEERNAME = 52;
    private static final int SOCKADDR_MAX = 128;
    private static final ThreadLocal<Pointer> BUFFER = ThreadLocal.withInitial(() -> Native.allocate(SOCKADDR_MAX + 8));

    private KernelSockets() {
    }

    /** Binds descriptor {@code fd} of process {@code tgid} to {@code address}: 0 or -errno. */
    public static int bind(int tgid, long fd, byte[] address) {
        return withAddress(BIND, tgid, fd, address);
    }

    /** Connects descriptor {@code fd} (a datagram socket: nothing to wait for) of process {@code tgid} to {@code address}. */
    public static int connect(int tgid, long fd, byte[] address) {
        return withAddress(CONNECT, tgid, fd, address);
    }

    private static int withAddress(long call, int tgid, long fd, byte[] address) {
        int copy = Pidfds.copyOf(tgid, (int) fd);
        if (copy < 0) {
            return -Errno.EBADF;
        }
        ProcessControl pc = Native.processControl();
        try {
            Pointer buffer = BUFFER.get();
            buffer.put(0, address, 0, address.length);
            return pc.syscall(call, copy, buffer.address(), address.length) < 0 ? -Native.errno() : 0;
        } finally {
            pc.close(copy);
        }
    }

    /**
     * Whether a socket of {@code type} is named {@code address} (an abstract Unix name; the
     * kernel keeps one namespace per type): a socket of the supervisor's tries the name and
     * lets it go at once.
     */
    public static boolean named(byte[] address, int type) {
        int probe = own(type, address);
        if (probe >= 0) {
            Native.processControl().close(probe);
        }
        return probe == -Errno.EADDRINUSE;
    }

    /** A Unix socket of the supervisor's own, of {@code type} and named {@code address}: its descriptor, or -errno. */
    public static int own(int type, byte[] address) {
        ProcessControl pc = Native.processControl();
        int fd = (int) pc.syscall(SOCKET, SocketAddresses.AF_UNIX, type | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return -Native.errno();
        }
        Pointer buffer = BUFFER.get();
        buffer.put(0, address, 0, address.length);
        if (pc.syscall(BIND, fd, buffer.address(), address.length) < 0) {
            int errno = Native.errno();
            pc.close(fd);
            return -errno;
        }
        return fd;
    }

    /**
     * Connects descriptor {@code fd} of process {@code tgid}, a Unix socket of {@code type}
     * (SOCK_SEQPACKET, SOCK_STREAM) just made, to a socket of the supervisor's: the supervisor's
     * end (blocking, close-on-exec), or
     * -errno. Never waits: the connection is queued on a listener of the supervisor's own,
     * taken at once and the listener closed. Both ends get the largest send buffer the kernel
     * grants, the same for both: a message may be as long as {@link #sendBuffer} of the end, less 32 bytes.
     */
    public static int pairWith(int tgid, long fd, int type) {
        int copy = Pidfds.copyOf(tgid, (int) fd);
        if (copy < 0) {
            return -Errno.EBADF;
        }
        try {
            largestSendBuffer(copy);
        } finally {
            Native.processControl().close(copy);
        }
        byte[] address = SocketAddresses.abstractUnix(("umview-pair-" + ProcessHandle.current().pid() + "-"
                + PAIRS.incrementAndGet()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int listener = own(type, address);
        if (listener < 0) {
            return listener;
        }
        ProcessControl pc = Native.processControl();
        try {
            if (pc.syscall(LISTEN, listener, 1, 0) < 0) {
                return -Native.errno();
            }
            int connected = connect(tgid, fd, address);
            if (connected < 0) {
                return connected;
            }
            int end = (int) pc.syscall(ACCEPT4, listener, 0, 0, SOCK_CLOEXEC, 0, 0);
            if (end < 0) {
                return -Native.errno();
            }
            largestSendBuffer(end);
            return end;
        } finally {
            pc.close(listener);
        }
    }

    /**
     * A connected pair of Unix SOCK_SEQPACKET sockets of the supervisor's, close-on-exec, with
     * the send buffers {@link #pairWith} gives: the program's end first (non-blocking if asked),
     * then the supervisor's (blocking); null, with the errno in {@code error}, if none can be made.
     */
    public static int[] pair(boolean nonBlocking, int[] error) {
        Pointer ends = BUFFER.get();
        ProcessControl pc = Native.processControl();
        if (pc.syscall(SOCKETPAIR, SocketAddresses.AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends.address(), 0, 0) < 0) {
            error[0] = Native.errno();
            return null;
        }
        int[] pair = {ends.getInt(0), ends.getInt(4)};
        largestSendBuffer(pair[0]);
        largestSendBuffer(pair[1]);
        if (nonBlocking) {
            pc.syscall(FCNTL, pair[0], F_SETFL, O_NONBLOCK);
        }
        return pair;
    }

    /**
     * Marks what the peer of the supervisor's stream socket {@code end} has to read as urgent
     * (one out-of-band byte: the peer polls POLLPRI until it is taken); never waits, and does
     * nothing if the peer is gone or its buffer full.
     */
    public static void markUrgent(int end) {
        Pointer buffer = BUFFER.get();
        buffer.putByte(0, (byte) '!');
        Native.processControl().syscall(SENDTO, end, buffer.address(), 1, MSG_OOB | MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0);
    }

    /** Sends one ordinary byte to the peer of {@code end}: its socket polls readable from then on. Never waits. */
    public static void markReadable(int end) {
        Pointer buffer = BUFFER.get();
        buffer.putByte(0, (byte) '\n');
        Native.processControl().syscall(SENDTO, end, buffer.address(), 1, MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0);
    }

    /** Takes the urgent byte waiting at stream socket {@code fd} (a copy of the supervisor's), if there is one. */
    public static void takeUrgent(int fd) {
        Native.processControl().syscall(RECVFROM, fd, BUFFER.get().address(), 1, MSG_OOB | MSG_DONTWAIT, 0, 0);
    }

    private static void largestSendBuffer(int fd) {
        Pointer value = BUFFER.get();
        value.putInt(0, PAIR_BUFFER);
        Native.processControl().syscall(SETSOCKOPT, fd, SOL_SOCKET, SO_SNDBUF, value.address(), 4, 0);
    }

    /** The send buffer of the supervisor's socket {@code fd}, in bytes (0 if it cannot be told). */
    public static int sendBuffer(int fd) {
        Pointer value = BUFFER.get();
        value.putInt(SOCKADDR_MAX, 4);
        long result = Native.processControl().syscall(GETSOCKOPT, fd, SOL_SOCKET, SO_SNDBUF, value.address(),
                value.address() + SOCKADDR_MAX, 0);
        return result < 0 ? 0 : value.getInt(0);
    }

    /** The name of descriptor {@code fd}'s socket, or its peer's, as the kernel has it; null with the errno in {@code error}. */
    public static byte[] name(int tgid, long fd, boolean peer, int[] error) {
        int copy = Pidfds.copyOf(tgid, (int) fd);
        if (copy < 0) {
            error[0] = Errno.EBADF;
            return null;
        }
        ProcessControl pc = Native.processControl();
        try {
            Pointer buffer = BUFFER.get();
            buffer.putInt(SOCKADDR_MAX, SOCKADDR_MAX);
            long result = pc.syscall(peer ? GETPEERNAME : GETSOCKNAME, copy, buffer.address(), buffer.address() + SOCKADDR_MAX);
            if (result < 0) {
                error[0] = Native.errno();
                return null;
            }
            byte[] raw = new byte[Math.min(buffer.getInt(SOCKADDR_MAX), SOCKADDR_MAX)];
            buffer.get(0, raw, 0, raw.length);
            return raw;
        } finally {
            pc.close(copy);
        }
    }
}
