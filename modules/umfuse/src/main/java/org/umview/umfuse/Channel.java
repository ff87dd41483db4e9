package org.umview.umfuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.libc.Native;
import org.umview.libc.ProcessControl;
import org.umview.module.ConnectedFile;
import org.umview.module.FileAttributes;

/**
 * An open /dev/fuse: a Unix SOCK_SEQPACKET connection between the FUSE program and the file
 * system, so the program's reads (a request each) and writes (a reply each) are the kernel's,
 * with no stop. The file system sends requests and gets their replies as futures; a thread of
 * the channel's reads the replies. Sending never waits: what the socket cannot take yet waits
 * in order for a thread of its own.
 */
final class Channel implements ConnectedFile {
    private static final Logger LOG = LoggerFactory.getLogger(Channel.class);
    static final int IN_HEADER = 40;
    static final int OUT_HEADER = 16;
    private static final long POLL = 7;
    private static final long SENDTO = 44;
    private static final long RECVFROM = 45;
    private static final long SHUTDOWN = 48;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SHUT_RDWR = 2;
    private static final short POLLOUT = 4;
    /** The kernel's overhead in a Unix datagram's share of the send buffer. */
    private static final int MESSAGE_OVERHEAD = 32;
    /** What a connection whose buffer cannot be told carries at most (net.core.wmem_default, doubled, on Linux). */
    private static final int SMALLEST_BUFFER = 212992 * 2;
    /** Longer than any request or reply of a file system (writes and reads of 1 MiB at most, with their headers). */
    private static final int LARGEST = (1 << 20) + 4096;

    /** A reply: 0 or a positive errno, and the body after fuse_out_header. */
    record Reply(int error, ByteBuffer body) {
    }

    /** The reply to a request, and the request's unique (what INTERRUPT names). */
    static final class Pending extends CompletableFuture<Reply> {
        final long unique;

        Pending(long unique) {
            this.unique = unique;
        }
    }

    private final Map<Long, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    /* The kernel's uniques are even (the low bit marks interrupts); these are too. */
    private final AtomicLong uniques = new AtomicLong();
    /** Requests the socket could not take yet (or made before the connection), in order; guards {@link #sendBuffer}. */
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
    private Pointer sendBuffer;
    private boolean writing;
    private volatile int end = -1;
    private volatile int maxMessage = SMALLEST_BUFFER - MESSAGE_OVERHEAD;
    private volatile boolean closed;

    /** The longest request or reply the connection carries. */
    int maxMessage() {
        return maxMessage;
    }

    @Override
    public void connected(int end) {
        int buffer = org.umview.net.KernelSockets.sendBuffer(end);
        maxMessage = Math.min((buffer > 0 ? buffer : SMALLEST_BUFFER) - MESSAGE_OVERHEAD, LARGEST);
        synchronized (backlog) {
            sendBuffer = Native.allocate(maxMessage);
            this.end = end;
            if (closed) {
                shutdown();
            }
            wakeWriter();
        }
        Thread reader = new Thread(this::readReplies, "umview-fuse-replies-" + end);
        reader.setDaemon(true);
        reader.start();
    }

    /** Queues a request; FORGET and INTERRUPT have no reply, and their futures complete at once. */
    Pending send(int opcode, long nodeid, Credentials credentials, byte[] body) {
        long unique = uniques.addAndGet(2);
        Pending reply = new Pending(unique);
        if (closed) {
            reply.complete(new Reply(Errno.ENOTCONN, ByteBuffer.allocate(0)));
            return reply;
        }
        ByteBuffer request = ByteBuffer.allocate(IN_HEADER + body.length).order(ByteOrder.LITTLE_ENDIAN);
        request.putInt(IN_HEADER + body.length).putInt(opcode).putLong(unique).putLong(nodeid)
                .putInt(credentials.uid()).putInt(credentials.gid()).putInt(credentials.pid()).putInt(0).put(body);
        if (opcode == Opcode.FORGET || opcode == Opcode.INTERRUPT) {
            reply.complete(new Reply(0, ByteBuffer.allocate(0)));
        } else {
            waiting.put(unique, reply);
        }
        if (request.capacity() > maxMessage) {
            fail(unique, Errno.EINVAL);
            return reply;
        }
        queue(request.array());
        if (closed) {
            fail(unique, Errno.ENOTCONN);
        }
        return reply;
    }

    /** Sends at once if the socket takes it and nothing waits before it, else leaves it to the writer. */
    private void queue(byte[] request) {
        synchronized (backlog) {
            if (end >= 0 && backlog.isEmpty() && sendNow(request)) {
                return;
            }
            backlog.add(request);
            wakeWriter();
        }
    }

    /** Under the backlog's lock: whether the socket took {@code request} (a request it refuses for good fails). */
    private boolean sendNow(byte[] request) {
        if (end < 0) {
            fail(uniqueOf(request), Errno.ENOTCONN);
            return true;
        }
        sendBuffer.put(0, request, 0, request.length);
        long sent = Native.processControl().syscall(SENDTO, end, sendBuffer.address(), request.length,
                MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0);
        if (sent >= 0) {
            return true;
        }
        int errno = Native.errno();
        if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
            return false;
        }
        fail(uniqueOf(request), errno == Errno.EMSGSIZE ? Errno.EINVAL : Errno.ENOTCONN);
        return true;
    }

    private static long uniqueOf(byte[] request) {
        return ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
    }

    /** Under the backlog's lock: a writer for the requests waiting, if there are any and none writes yet. */
    private void wakeWriter() {
        if (writing || backlog.isEmpty() || end < 0) {
            return;
        }
        writing = true;
        Thread writer = new Thread(this::writeBacklog, "umview-fuse-requests-" + end);
        writer.setDaemon(true);
        writer.start();
    }

    /** Waits for room in the socket and sends what waits, in order, until nothing does. */
    private void writeBacklog() {
        Pointer pollfd = Native.allocate(8);
        ProcessControl pc = Native.processControl();
        while (true) {
            synchronized (backlog) {
                while (!backlog.isEmpty() && !closed && sendNow(backlog.peek())) {
                    backlog.poll();
                }
                if (backlog.isEmpty() || closed) {
                    backlog.clear();
                    writing = false;
                    return;
                }
            }
            int fd = end;
            if (fd < 0) {
                continue; // closed meanwhile: the next round ends
            }
            pollfd.putInt(0, fd);
            pollfd.putShort(4, POLLOUT);
            pollfd.putShort(6, (short) 0);
            pc.syscall(POLL, pollfd.address(), 1, 1000);
        }
    }

    /** The reader thread: each message is a reply (or a notification, which is taken and dropped). */
    private void readReplies() {
        ProcessControl pc = Native.processControl();
        Pointer buffer = Native.allocate(maxMessage);
        byte[] bytes = new byte[maxMessage];
        while (true) {
            long length = pc.syscall(RECVFROM, end, buffer.address(), maxMessage, MSG_TRUNC, 0, 0);
            if (length < 0 && Native.errno() == Errno.EINTR) {
                continue;
            }
            if (length <= 0) {
                break; // the program closed its end (it is gone), or the mount ended
            }
            if (length > maxMessage) {
                LOG.debug("FUSE program wrote a reply of {} bytes: longer than any request asks, dropped", length);
                continue;
            }
            buffer.get(0, bytes, 0, (int) length);
            reply(ByteBuffer.wrap(bytes, 0, (int) length).slice().order(ByteOrder.LITTLE_ENDIAN));
        }
        abort();
        synchronized (backlog) {
            pc.close(end);
            end = -1; // the number may be another descriptor's from now on
        }
    }

    /** A reply from the program, checked as /dev/fuse checks a write (one that fails the check is dropped). */
    private void reply(ByteBuffer reply) {
        int length = reply.remaining();
        if (length < OUT_HEADER) {
            return;
        }
        int declared = reply.getInt(0);
        int error = reply.getInt(4);
        long unique = reply.getLong(8);
        if (declared != length || error > 0 || error < -4095 || unique == 0) {
            return; // a notification (unique 0): the core caches nothing the program could invalidate
        }
        CompletableFuture<Reply> waiter = waiting.remove(unique);
        if (waiter != null) {
            byte[] body = new byte[length - OUT_HEADER];
            reply.get(OUT_HEADER, body);
            waiter.complete(new Reply(-error, ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN)));
        }
    }

    @Override
    public FileAttributes stat() {
        return FuseDevice.ATTRIBUTES;
    }

    /** The open failed, or its socket could not be connected. */
    @Override
    public void close() {
        abort();
    }

    /** Ends the connection: requests waiting for a reply fail with ENOTCONN, the program reads the end of the file. */
    void abort() {
        closed = true;
        synchronized (backlog) {
            shutdown();
        }
        for (Long unique : waiting.keySet()) {
            fail(unique, Errno.ENOTCONN);
        }
    }

    /** Under the backlog's lock. */
    private void shutdown() {
        if (end >= 0) {
            Native.processControl().syscall(SHUTDOWN, end, SHUT_RDWR, 0);
        }
    }

    boolean closed() {
        return closed;
    }

    private void fail(long unique, int errno) {
        CompletableFuture<Reply> waiter = waiting.remove(unique);
        if (waiter != null) {
            waiter.complete(new Reply(errno, ByteBuffer.allocate(0)));
        }
    }
}
