package org.umview.umfuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;

/**
 * An open /dev/fuse: the FUSE program reads one request per read(2) and writes one reply per
 * write(2); the file system sends requests and gets their replies as futures. A read waits
 * for a request (on a module thread: the program stays stopped in its call, the tracer goes on).
 */
final class Channel implements OpenFile {
    static final int IN_HEADER = 40;
    static final int OUT_HEADER = 16;
    private static final byte[] CLOSED = new byte[0];

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

    private final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
    /** Reads waiting for a request ({@link #readLater}): the next request goes to the first of them. */
    private final java.util.Deque<CompletableFuture<byte[]>> readers = new java.util.ArrayDeque<>();
    private final Map<Long, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    /* The kernel's uniques are even (the low bit marks interrupts); these are too. */
    private final AtomicLong uniques = new AtomicLong();
    private volatile boolean closed;

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
        queue(request.array());
        if (closed) {
            fail(unique);
        }
        return reply;
    }

    /** A request (or CLOSED) to a waiting reader, else to the queue. */
    private void queue(byte[] request) {
        while (true) {
            CompletableFuture<byte[]> reader;
            synchronized (readers) {
                reader = readers.poll();
                if (reader == null) {
                    requests.add(request);
                    return;
                }
            }
            // A reader given up (EINTR) is done already and refuses it: the next one, or the queue, takes it.
            if (reader.complete(request)) {
                return;
            }
        }
    }

    /**
     * A read that completes with the next request, without a thread waiting for it: a request
     * sent from the tracer thread reaches the program with no hand-over.
     */
    @Override
    public CompletableFuture<Integer> readLater(ByteBuffer into, long offset) {
        CompletableFuture<byte[]> next;
        synchronized (readers) {
            byte[] queued = requests.poll();
            if (queued != null) {
                next = CompletableFuture.completedFuture(queued);
            } else {
                next = new CompletableFuture<>();
                readers.add(next);
            }
        }
        CompletableFuture<Integer> read = new CompletableFuture<>();
        next.whenComplete((request, failure) -> {
            if (failure != null) {
                read.completeExceptionally(failure);
                return;
            }
            if (read.isDone()) {
                queue(request); // given up meanwhile: the request waits for the next read
                return;
            }
            try {
                if (!read.complete(deliver(request, into))) {
                    queue(request);
                }
            } catch (ModuleException e) {
                read.completeExceptionally(e);
            }
        });
        // Giving up the read gives up the wait for a request.
        read.whenComplete((n, failure) -> {
            if (failure != null) {
                next.completeExceptionally(failure);
            }
        });
        return read;
    }

    /** The program reads the next request, waiting for one; ENODEV once the file system is gone. */
    @Override
    public int read(ByteBuffer into, long offset) throws ModuleException {
        try {
            return deliver(requests.take(), into);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException(Errno.EINTR);
        }
    }

    /** A request already queued is read at once. */
    @Override
    public int readNow(ByteBuffer into, long offset) throws ModuleException {
        byte[] request = requests.poll();
        return request == null ? -1 : deliver(request, into);
    }

    /** Replies never wait. */
    @Override
    public int writeNow(ByteBuffer from, long offset) throws ModuleException {
        return write(from, offset);
    }

    private int deliver(byte[] request, ByteBuffer into) throws ModuleException {
        if (request == CLOSED) {
            queue(CLOSED); // every other reader must see it too
            throw new ModuleException(Errno.ENODEV);
        }
        if (request.length > into.remaining()) {
            fail(ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN).getLong(8));
            throw new ModuleException(Errno.EINVAL, "FUSE read buffer smaller than a request");
        }
        into.put(request);
        return request.length;
    }

    /** The program writes a reply (or a notification, which is taken and dropped). */
    @Override
    public int write(ByteBuffer from, long offset) throws ModuleException {
        int length = from.remaining();
        if (length < OUT_HEADER) {
            throw new ModuleException(Errno.EINVAL);
        }
        ByteBuffer reply = from.slice().order(ByteOrder.LITTLE_ENDIAN);
        int declared = reply.getInt(0);
        int error = reply.getInt(4);
        long unique = reply.getLong(8);
        if (declared != length || error > 0 || error < -4095) {
            throw new ModuleException(Errno.EINVAL);
        }
        if (unique == 0) {
            return length; // notifications: the core caches nothing the program could invalidate
        }
        CompletableFuture<Reply> waiter = waiting.remove(unique);
        if (waiter == null) {
            throw new ModuleException(Errno.ENOENT);
        }
        waiter.complete(new Reply(-error, reply.position(OUT_HEADER).slice().order(ByteOrder.LITTLE_ENDIAN)));
        return length;
    }

    @Override
    public FileAttributes stat() {
        return FuseDevice.ATTRIBUTES;
    }

    /** The last descriptor of it is closed: the program is gone, the mount can get no answer. */
    @Override
    public void close() {
        abort();
    }

    /** Ends the connection: readers get ENODEV, requests waiting for a reply fail with Errno.ENOTCONN. */
    void abort() {
        closed = true;
        queue(CLOSED);
        for (Long unique : waiting.keySet()) {
            fail(unique);
        }
    }

    boolean closed() {
        return closed;
    }

    private void fail(long unique) {
        CompletableFuture<Reply> waiter = waiting.remove(unique);
        if (waiter != null) {
            waiter.complete(new Reply(Errno.ENOTCONN, ByteBuffer.allocate(0)));
        }
    }
}
