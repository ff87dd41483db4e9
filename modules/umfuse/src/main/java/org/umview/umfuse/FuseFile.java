package org.umview.umfuse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.umview.libc.Errno;
import org.umview.module.DirectoryEntry;
import org.umview.module.FileAttributes;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;
import org.umview.module.SpecialFile;

/** A file or directory a FUSE program opened for the view (its fh), released when the view closes it. */
final class FuseFile implements OpenFile {
    private static final int O_ACCMODE = 03;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_NOCTTY = 0400;
    private static final int O_TRUNC = 01000;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;
    /** The kernel adds it to every open on 64-bit systems, and FUSE programs see it there. */
    private static final int O_LARGEFILE = 0100000;
    /* What the kernel keeps for itself: the program never sees these in OPEN. */
    private static final int KERNEL_ONLY = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;
    /** The most one READ asks for: its reply must fit in what the core takes from one write(2). */
    private static final int MAX_READ_AT_ONCE = 1000 * 1024;
    private static final int READDIR_SIZE = 64 * 1024;

    /** The most one READ asks: what its reply can carry, and never more than {@link #MAX_READ_AT_ONCE}. */
    private int maxRead() {
        return Math.min(MAX_READ_AT_ONCE, fs.maxRead());
    }
    /** What a read asks for at least, and each READ sent ahead. */
    private static final int READ_AHEAD = 512 * 1024;
    /** How many READs may be ahead of the caller: the program always has the next one at hand. */
    private static final int PREFETCH_DEPTH = 2;

    private final FuseFileSystem fs;
    private final long node;
    private final long fh;
    private final boolean directory;
    private final int flags;
    /** FOPEN_DIRECT_IO: reads go to the program as asked, not cut at the size it reported. */
    private final boolean directIo;
    /** Where the last read ended: a read starting there (or at 0) is sequential, and is read ahead. */
    private volatile long readEnd;
    private ByteBuffer ahead;
    /** READs sent ahead, in file order, at most {@link #PREFETCH_DEPTH}. */
    private final java.util.ArrayDeque<Prefetch> coming = new java.util.ArrayDeque<>();
    /** The size of the file when a read last asked for it: nothing is read ahead past it. */
    private volatile long knownEnd;
    private long aheadOffset;
    private int aheadGeneration;

    private FuseFile(FuseFileSystem fs, long node, long fh, boolean directory, int flags, int openFlags) {
        this.directIo = (openFlags & 1) != 0;
        this.fs = fs;
        this.node = node;
        this.fh = fh;
        this.directory = directory;
        this.flags = flags;
        fs.opened(node);
    }

    /**
     * An open for reading of a path the cache nearly knows (see {@link FuseFileSystem#statLater}),
     * its OPEN or OPENDIR sent without waiting; null for anything else (creating, truncating,
     * writing), which {@link #open} does. O_NOFOLLOW on a symlink is ELOOP (find opens every
     * directory so).
     */
    static java.util.concurrent.CompletableFuture<OpenFile> openLater(FuseFileSystem fs, String path, int flags, int mode) {
        if ((flags & (O_ACCMODE | O_CREAT | O_TRUNC)) != 0) {
            return null;
        }
        java.util.concurrent.CompletableFuture<FuseFileSystem.Target> target = fs.targetLater(path);
        if (target == null) {
            return null;
        }
        return target.thenCompose(found -> found.attributes() != null ? java.util.concurrent.CompletableFuture.completedFuture(found)
                        : fs.attributesLater(found.node()).thenApply(attributes -> new FuseFileSystem.Target(found.node(), attributes)))
                .thenCompose(found -> {
                    if (found.attributes().isSymlink() && (flags & O_NOFOLLOW) != 0) {
                        return java.util.concurrent.CompletableFuture.failedFuture(new ModuleException(Errno.ELOOP));
                    }
                    if (found.attributes().isSymlink()) {
                        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                return open(fs, path, flags, mode); // rare: the links are followed the long way
                            } catch (ModuleException e) {
                                throw new java.util.concurrent.CompletionException(e);
                            }
                        });
                    }
                    long node = found.node();
                    if (SpecialFile.is(found.attributes())) {
                        return java.util.concurrent.CompletableFuture.failedFuture(new SpecialFile(found.attributes()));
                    }
                    if (found.attributes().isDirectory()) {
                        return fs.callLater(Opcode.OPENDIR, node, new Message().u32(flags & ~KERNEL_ONLY).u32(0).toBytes())
                                .thenApply(out -> (OpenFile) new FuseFile(fs, node, out.getLong(0), true, flags, out.getInt(8)));
                    }
                    if ((flags & O_DIRECTORY) != 0) {
                        return java.util.concurrent.CompletableFuture.failedFuture(new ModuleException(Errno.ENOTDIR));
                    }
                    int openFlags = (flags & ~KERNEL_ONLY) | O_LARGEFILE;
                    return fs.callLater(Opcode.OPEN, node, new Message().u32(openFlags).u32(0).toBytes())
                            .thenApply(out -> (OpenFile) new FuseFile(fs, node, out.getLong(0), false, openFlags, out.getInt(8)));
                });
    }

    static FuseFile open(FuseFileSystem fs, String path, int flags, int mode) throws ModuleException {
        boolean writing = (flags & O_ACCMODE) != 0;
        long node;
        try {
            node = fs.followed(path);
            if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
                throw new ModuleException(Errno.EEXIST);
            }
        } catch (ModuleException e) {
            if (e.errno() != Errno.ENOENT || (flags & O_CREAT) == 0) {
                throw e;
            }
            int openFlags = (flags & ~KERNEL_ONLY) | O_LARGEFILE;
            try {
                long[] created = fs.create(path, openFlags, mode);
                if (created != null) {
                    return new FuseFile(fs, created[0], created[1], false, openFlags, (int) created[2]);
                }
                fs.mknod(path, FileAttributes.S_IFREG | (mode & 07777), 0);
            } catch (ModuleException raced) {
                // Made by another process since it was looked for: without O_EXCL it is opened.
                if (raced.errno() != Errno.EEXIST || (flags & O_EXCL) != 0) {
                    throw raced;
                }
            }
            node = fs.followed(path);
        }
        FileAttributes attributes = fs.attributes(node);
        if (SpecialFile.is(attributes)) {
            throw new SpecialFile(attributes);
        }
        if (attributes.isDirectory()) {
            if (writing) {
                throw new ModuleException(Errno.EISDIR);
            }
            ByteBuffer out = fs.call(Opcode.OPENDIR, node, new Message().u32(flags & ~KERNEL_ONLY).u32(0).toBytes());
            return new FuseFile(fs, node, out.getLong(0), true, flags, out.getInt(8));
        }
        if ((flags & O_DIRECTORY) != 0) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        if (writing) {
            fs.checkWritable();
        }
        if ((flags & O_TRUNC) != 0 && writing && attributes.isRegular()) {
            fs.setattr(node, 1 << 3 /* FATTR_SIZE */, 0, 0, 0); // as the kernel does when O_TRUNC is not atomic
        }
        int openFlags = (flags & ~KERNEL_ONLY) | O_LARGEFILE;
        ByteBuffer out = fs.call(Opcode.OPEN, node, new Message().u32(openFlags).u32(0).toBytes());
        return new FuseFile(fs, node, out.getLong(0), false, openFlags, out.getInt(8));
    }

    /**
     * Reads as the kernel's page cache would: nothing is asked past the end of the file (some
     * programs answer such a READ with an error, not with 0 bytes), a read of a regular file
     * is whole unless it meets the end (dd counts a short read as a block), and sequential
     * reads are read ahead: while the caller takes one chunk, the program is already reading
     * the next. A file the program opened direct_io reads as the program answers.
     */
    @Override
    public int read(ByteBuffer into, long offset) throws ModuleException {
        if (directory) {
            throw new ModuleException(Errno.EISDIR);
        }
        int total = 0;
        do {
            int n = readSome(into, offset + total);
            if (n <= 0) {
                break;
            }
            total += n;
        } while (into.hasRemaining() && !directIo && offset + total < knownEnd);
        return total;
    }

    /** One part of a read: from the data read ahead, from a READ sent ahead, or from a READ now. */
    private int readSome(ByteBuffer into, long offset) throws ModuleException {
        synchronized (this) {
            promoteArrived(offset);
            if (covers(offset)) {
                return copyAhead(into, offset);
            }
        }
        Prefetch arriving = takePrefetch(offset);
        if (arriving != null) {
            ByteBuffer data = await(arriving);
            if (data != null) {
                synchronized (this) {
                    keep(data, arriving.offset(), arriving.generation());
                    prefetch(arriving.offset() + data.remaining());
                    if (covers(offset)) {
                        return copyAhead(into, offset);
                    }
                }
            }
        }
        long end = directIo ? Long.MAX_VALUE : fs.attributes(node).size();
        knownEnd = end;
        if (offset >= end) {
            return 0;
        }
        boolean sequential = !directIo && offset == readEnd;
        int size = (int) Math.min(Math.max(into.remaining(), sequential ? READ_AHEAD : 0), Math.min(maxRead(), end - offset));
        int generation = fs.generation(node);
        return received(into, offset, fs.call(Opcode.READ, node, readRequest(offset, size)), size, sequential, generation);
    }

    /**
     * A read with no thread waiting for it: each part (a READ sent ahead, or a GETATTR for the
     * size and a READ) comes back on the tracer thread, and the read goes on until it is whole.
     */
    @Override
    public CompletableFuture<Integer> readLater(ByteBuffer into, long offset) {
        if (directory) {
            return null;
        }
        return readOnLater(into, offset, 0);
    }

    /** The rest of a read of which {@code done} bytes are in {@code into}; null if it cannot go on without waiting. */
    private CompletableFuture<Integer> readOnLater(ByteBuffer into, long offset, int done) {
        CompletableFuture<Integer> part = readSomeLater(into, offset + done);
        if (part == null) {
            return done == 0 ? null : CompletableFuture.completedFuture(done);
        }
        return part.thenCompose(n -> {
            if (n <= 0 || !into.hasRemaining() || directIo || offset + done + n >= knownEnd) {
                return CompletableFuture.completedFuture(done + Math.max(n, 0));
            }
            CompletableFuture<Integer> rest = readOnLater(into, offset, done + n);
            return rest != null ? rest : CompletableFuture.completedFuture(done + n);
        });
    }

    /** One part of a read, as {@link #readSome}, without waiting; null before the program's INIT reply. */
    private CompletableFuture<Integer> readSomeLater(ByteBuffer into, long offset) {
        synchronized (this) {
            promoteArrived(offset);
            if (covers(offset)) {
                return CompletableFuture.completedFuture(copyAhead(into, offset));
            }
            Prefetch head = coming.peek();
            if (head != null && head.offset() == offset && head.generation() == fs.generation(node)) {
                Prefetch arriving = coming.poll();
                return arriving.reply().thenCompose(reply -> arrived(arriving, reply, into, offset));
            }
        }
        return readFresh(into, offset);
    }

    /** The READ sent ahead for this offset came: the caller's part of it, or (if it failed) a fresh READ. */
    private CompletableFuture<Integer> arrived(Prefetch arriving, Channel.Reply reply, ByteBuffer into, long offset) {
        synchronized (this) {
            if (reply.error() == 0) {
                keep(reply.body(), arriving.offset(), arriving.generation());
                prefetch(arriving.offset() + reply.body().remaining());
                if (covers(offset)) {
                    return CompletableFuture.completedFuture(copyAhead(into, offset));
                }
            }
        }
        CompletableFuture<Integer> fresh = readFresh(into, offset);
        return fresh != null ? fresh : CompletableFuture.failedFuture(new ModuleException(Errno.EIO));
    }

    /** GETATTR (the size) and READ, neither waited for; null before the program's INIT reply. */
    private CompletableFuture<Integer> readFresh(ByteBuffer into, long offset) {
        CompletableFuture<FileAttributes> attributes = directIo ? null : fs.attributesLater(node);
        if (!directIo && attributes == null) {
            return null;
        }
        CompletableFuture<Long> end = directIo ? CompletableFuture.completedFuture(Long.MAX_VALUE)
                : attributes.thenApply(FileAttributes::size);
        return end.thenCompose(size -> {
            synchronized (this) {
                knownEnd = size;
                if (offset >= size) {
                    return CompletableFuture.completedFuture(0);
                }
                boolean sequential = !directIo && offset == readEnd;
                int chunk = (int) Math.min(Math.max(into.remaining(), sequential ? READ_AHEAD : 0), Math.min(maxRead(), size - offset));
                int generation = fs.generation(node);
                return fs.callLater(Opcode.READ, node, readRequest(offset, chunk))
                        .thenApply(data -> received(into, offset, data, chunk, sequential, generation));
            }
        });
    }

    /** A READ's reply: what the caller asked for goes into {@code into}, the rest is kept; reading on, more is asked ahead. */
    private synchronized int received(ByteBuffer into, long offset, ByteBuffer data, int size, boolean sequential, int generation) {
        int n = Math.min(data.remaining(), into.remaining());
        into.put(data.slice(data.position(), n));
        if (!directIo) {
            keep(data.slice(data.position() + n, data.remaining() - n), offset + n, generation);
            readEnd = offset + n;
            if (sequential && data.remaining() == size) {
                prefetch(offset + size);
            }
        }
        return n;
    }

    /**
     * Serves a read from the data read ahead (promoting a READ sent ahead that has come), if
     * nothing changed since and it is whole: a read the data ahead would cut short is left to
     * {@link #read} or {@link #readLater}, which go on past it.
     */
    @Override
    public synchronized int readNow(ByteBuffer into, long offset) throws ModuleException {
        promoteArrived(offset);
        if (!covers(offset)) {
            return -1;
        }
        long aheadEnd = aheadOffset + ahead.remaining();
        if (aheadEnd - offset < into.remaining() && aheadEnd < knownEnd) {
            return -1;
        }
        return copyAhead(into, offset);
    }

    /** A READ sent ahead for {@code offset} whose reply has come becomes the data ahead. */
    private synchronized void promoteArrived(long offset) {
        Prefetch head = coming.peek();
        if (!covers(offset) && head != null && head.reply().isDone() && head.offset() == offset
                && head.generation() == fs.generation(node)) {
            Prefetch done = coming.poll();
            ByteBuffer data = arrivedData(done);
            if (data != null) {
                keep(data, done.offset(), done.generation());
                prefetch(done.offset() + data.remaining());
            }
        }
    }

    /** Copies from the data ahead, which covers {@code offset}. */
    private synchronized int copyAhead(ByteBuffer into, long offset) {
        int n = (int) Math.min(into.remaining(), aheadOffset + ahead.remaining() - offset);
        into.put(ahead.slice((int) (offset - aheadOffset), n));
        readEnd = offset + n;
        return n;
    }

    private boolean covers(long offset) {
        return ahead != null && aheadGeneration == fs.generation(node) && offset >= aheadOffset
                && offset < aheadOffset + ahead.remaining();
    }

    private synchronized void keep(ByteBuffer data, long at, int generation) {
        ahead = data;
        aheadOffset = at;
        aheadGeneration = generation;
    }

    /* The program must not see RELEASE while a READ of the file handle is still in its hands. */
    private synchronized CompletableFuture<?> prefetchesDone() {
        CompletableFuture<?> all = CompletableFuture.allOf(coming.stream().map(Prefetch::reply).toArray(CompletableFuture[]::new));
        coming.clear();
        return all;
    }

    /** A READ sent ahead of the caller. */
    private record Prefetch(long offset, int generation, Channel.Pending reply) {
    }

    /** Sends the READ for the chunk at {@code at}, unless the file ends there (as last asked). Never waits. */
    private synchronized void prefetch(long at) {
        if (directIo) {
            return;
        }
        Prefetch last = coming.peekLast();
        long from = last == null ? at : last.offset() + READ_AHEAD;
        while (coming.size() < PREFETCH_DEPTH && from < knownEnd) {
            coming.add(new Prefetch(from, fs.generation(node), fs.send(Opcode.READ, node, readRequest(from, Math.min(READ_AHEAD, maxRead())))));
            from += READ_AHEAD;
        }
    }

    private synchronized Prefetch takePrefetch(long offset) {
        Prefetch head = coming.peek();
        if (head == null || head.offset() != offset || head.generation() != fs.generation(node)) {
            return null;
        }
        return coming.poll();
    }

    /** The data of a READ sent ahead whose reply has come; null if it failed. */
    private static ByteBuffer arrivedData(Prefetch prefetch) {
        try {
            Channel.Reply reply = prefetch.reply().getNow(null);
            return reply != null && reply.error() == 0 ? reply.body() : null;
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    /** The data of a prefetch's reply, waited for; null if it failed (the read is then asked again). */
    private static ByteBuffer await(Prefetch prefetch) throws ModuleException {
        try {
            Channel.Reply reply = prefetch.reply().get();
            return reply.error() == 0 ? reply.body() : null;
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException(Errno.EINTR);
        }
    }

    private byte[] readRequest(long at, int size) {
        return new Message().u64(fh).u64(at).u32(size).u32(0).u64(0).u32(flags).u32(0).toBytes();
    }

    /** Writes in chunks of the program's max_write; the count is what was written up to the first short chunk. */
    @Override
    public int write(ByteBuffer from, long offset) throws ModuleException {
        fs.checkWritable();
        int total = 0;
        try {
            while (from.hasRemaining()) {
                int size = Math.min(from.remaining(), fs.maxWrite());
                ByteBuffer chunk = from.slice(from.position(), size);
                ByteBuffer out = fs.call(Opcode.WRITE, node, new Message().u64(fh).u64(offset + total).u32(size).u32(0)
                        .u64(0).u32(flags).u32(0).data(chunk).toBytes());
                int n = out.getInt(0);
                from.position(from.position() + n);
                total += n;
                if (n < size) {
                    break;
                }
            }
        } catch (ModuleException e) {
            if (total == 0) {
                throw e;
            }
        } finally {
            fs.changed(node);
        }
        return total;
    }

    /** As {@link #write}, its WRITEs sent one after the other with no thread waiting for them. */
    @Override
    public CompletableFuture<Integer> writeLater(ByteBuffer from, long offset) {
        if (!fs.initialized().isDone()) {
            return null;
        }
        try {
            fs.checkWritable();
        } catch (ModuleException e) {
            return CompletableFuture.failedFuture(e);
        }
        return writeOnLater(from, offset, 0).whenComplete((n, failure) -> fs.changed(node));
    }

    /** The rest of a write of which {@code total} bytes are written: a short chunk or a failure ends it. */
    private CompletableFuture<Integer> writeOnLater(ByteBuffer from, long offset, int total) {
        if (!from.hasRemaining()) {
            return CompletableFuture.completedFuture(total);
        }
        int size = Math.min(from.remaining(), fs.maxWrite());
        ByteBuffer chunk = from.slice(from.position(), size);
        return fs.callLater(Opcode.WRITE, node, new Message().u64(fh).u64(offset + total).u32(size).u32(0)
                .u64(0).u32(flags).u32(0).data(chunk).toBytes()).handle((out, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                        return total == 0 ? CompletableFuture.<Integer>failedFuture(cause) : CompletableFuture.completedFuture(total);
                    }
                    int n = out.getInt(0);
                    from.position(from.position() + n);
                    return n < size ? CompletableFuture.completedFuture(total + n) : writeOnLater(from, offset, total + n);
                }).thenCompose(next -> next);
    }

    @Override
    public FileAttributes stat() throws ModuleException {
        return fs.attributes(node);
    }

    @Override
    public java.util.concurrent.CompletableFuture<FileAttributes> statLater() {
        return fs.attributesLater(node);
    }

    @Override
    public List<DirectoryEntry> list() throws ModuleException {
        if (!directory) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        List<DirectoryEntry> listing = new ArrayList<>();
        boolean dot = false;
        boolean dotdot = false;
        long offset = 0;
        while (true) {
            ByteBuffer out = fs.call(Opcode.READDIR, node, new Message().u64(fh).u64(offset).u32(READDIR_SIZE).u32(0)
                    .u64(0).u32(flags).u32(0).toBytes());
            if (!out.hasRemaining()) {
                break;
            }
            // struct fuse_dirent { u64 ino; u64 off; u32 namelen; u32 type; char name[]; }, 8-byte aligned
            while (out.remaining() >= 24) {
                int start = out.position();
                long ino = out.getLong();
                offset = out.getLong();
                int length = out.getInt();
                int type = out.getInt();
                if (length <= 0 || out.remaining() < length) {
                    break;
                }
                byte[] name = new byte[length];
                out.get(name);
                String text = new String(name, StandardCharsets.UTF_8);
                dot |= text.equals(".");
                dotdot |= text.equals("..");
                listing.add(new DirectoryEntry(text, ino, type));
                out.position(Math.min(out.limit(), start + ((24 + length + 7) & ~7)));
            }
        }
        if (!dotdot) {
            listing.add(0, new DirectoryEntry("..", 1, DirectoryEntry.DT_DIR));
        }
        if (!dot) {
            listing.add(0, new DirectoryEntry(".", stat().inode(), DirectoryEntry.DT_DIR));
        }
        return listing;
    }

    @Override
    public void truncate(long length) throws ModuleException {
        fs.truncate(node, fh, length);
    }

    @Override
    public void sync() throws ModuleException {
        if (!directory && fs.implemented(Opcode.FSYNC)) {
            try {
                fs.call(Opcode.FSYNC, node, new Message().u64(fh).u32(0).u32(0).toBytes());
            } catch (ModuleException e) {
                if (e.errno() != Errno.ENOSYS) {
                    throw e;
                }
            }
        }
    }

    /**
     * FLUSH, then RELEASE (or RELEASEDIR), then the node may be forgotten: each sent when the
     * one before is answered, and none waited for, since close comes on the tracer thread.
     */
    @Override
    public void close() {
        byte[] release = new Message().u64(fh).u32(flags).u32(0).u64(0).toBytes();
        CompletableFuture<?> read = prefetchesDone();
        CompletableFuture<?> flushed = directory || !fs.implemented(Opcode.FLUSH) ? read
                : read.thenCompose(r -> fs.send(Opcode.FLUSH, node, new Message().u64(fh).u32(0).u32(0).u64(0).toBytes()));
        flushed.thenCompose(flush -> fs.send(directory ? Opcode.RELEASEDIR : Opcode.RELEASE, node, release))
                .thenRun(() -> fs.closed(node));
    }
}
