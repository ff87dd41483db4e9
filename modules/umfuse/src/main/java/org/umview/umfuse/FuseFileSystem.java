package org.umview.umfuse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.module.Caller;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.FileSystemStats;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;
import org.umview.module.SymlinkOut;
import org.umview.module.Timestamp;

/**
 * A mount served by a FUSE program: the kernel side of the protocol. The core asks by path;
 * FUSE answers by node, so paths are looked up component by component and the entries and
 * attributes kept for as long as the program said they stay valid. A node is forgotten (with
 * the count of lookups that returned it) once no cached path and no open file refers to it.
 */
final class FuseFileSystem implements FileSystem {
    private static final Logger LOG = LoggerFactory.getLogger(FuseFileSystem.class);
    static final long ROOT = 1;
    private static final int PROTOCOL_MAJOR = 7;
    private static final int PROTOCOL_MINOR = 31;
    private static final int MAX_READAHEAD = 128 * 1024;
    /* fuse_init_in flags: reads may be answered out of order; writes larger than a page. */
    private static final int FUSE_ASYNC_READ = 1;
    private static final int FUSE_BIG_WRITES = 1 << 5;
    private static final int FATTR_MODE = 1;
    private static final int FATTR_UID = 1 << 1;
    private static final int FATTR_GID = 1 << 2;
    private static final int FATTR_ATIME = 1 << 4;
    private static final int FATTR_MTIME = 1 << 5;
    private static final int FATTR_ATIME_NOW = 1 << 7;
    private static final int FATTR_MTIME_NOW = 1 << 8;
    private static final int FATTR_SIZE = 1 << 3;
    private static final int FATTR_FH = 1 << 6;
    private static final long FUSE_SUPER_MAGIC = 0x65735546L;
    private static final int ST_RDONLY = 1;
    private static final int W_OK = 2;
    private static final int MAX_SYMLINKS = 40;
    private static final AtomicInteger DEVICES = new AtomicInteger(150);

    private record Entry(long node, long expiry) {
    }

    /**
     * Attributes, valid until {@code expiry}; those a program gives no time to live (fuse2fs
     * gives none) are still those of the moment they came, so the calls that decide one
     * system call (a path walk, the checks of the core, the call itself) use them until
     * {@code reusableUntil}, unless a request that may change something was sent meanwhile
     * ({@code changes}, the count of such requests then; -1 if one was on its way).
     */
    private record Attr(FileAttributes attributes, long expiry, long reusableUntil, long changes) {
    }

    /** A name found absent: reused as attributes with no time to live are (see {@link Attr}). */
    private record Absent(long reusableUntil, long changes) {
    }

    /** How long a program told to end may take before its connection is closed. */
    private static final long STOP_SECONDS = 5;

    /** Absent names kept at most, past which they are forgotten at once (each is kept a moment only). */
    private static final int MAX_ABSENT = 4096;

    /** How long attributes with no time to live serve the system call being decided; a program's own changes are never hidden longer. */
    private static final long REUSE_NANOS = 2_000_000;

    private final Channel channel;
    private final CompletableFuture<Integer> ended;
    /** SIGTERM to the program: how it learns the mount is over (its reads cannot fail with ENODEV). */
    private final Runnable stopProgram;
    private final Credentials credentials;
    /** Whether the program was started read-only: then the mount cannot be made writable. */
    private final boolean startedReadOnly;
    private volatile boolean readOnly;
    /** -o human: the core checks permissions, and each request carries its caller's ids. */
    private final boolean human;
    private final long device = DEVICES.getAndIncrement();
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();
    private volatile int maxWrite = 4096;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Long, Attr> attributes = new ConcurrentHashMap<>();
    private final Map<Long, Long> lookups = new ConcurrentHashMap<>();
    private final Map<String, Absent> absent = new ConcurrentHashMap<>();
    /** Requests that may change attributes: sent, and answered (equal when none is on its way). */
    private final java.util.concurrent.atomic.AtomicLong changesSent = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong changesAnswered = new java.util.concurrent.atomic.AtomicLong();
    private final Map<Long, Integer> opens = new ConcurrentHashMap<>();
    private final Map<Long, Integer> generations = new ConcurrentHashMap<>();
    /** Requests the program answered ENOSYS: not sent again, as the kernel does. */
    private final Set<Integer> unimplemented = ConcurrentHashMap.newKeySet();
    /** Names are made one at a time per directory (striped by the directory's node). */
    private final Object[] directoryLocks = java.util.stream.IntStream.range(0, 64).mapToObj(i -> new Object()).toArray();

    FuseFileSystem(Channel channel, CompletableFuture<Integer> ended, Runnable stopProgram, Credentials credentials,
            boolean readOnly, boolean human) {
        this.stopProgram = stopProgram;
        this.human = human;
        this.channel = channel;
        this.ended = ended;
        this.credentials = credentials;
        this.startedReadOnly = readOnly;
        this.readOnly = readOnly;
        ended.thenRun(channel::abort);
    }

    /** Sends INIT; requests wait until the program answered it. */
    void start() {
        byte[] init = new Message().u32(PROTOCOL_MAJOR).u32(PROTOCOL_MINOR).u32(MAX_READAHEAD)
                .u32(FUSE_ASYNC_READ | FUSE_BIG_WRITES).toBytes();
        channel.send(Opcode.INIT, 0, credentials, init).thenAccept(reply -> {
            if (reply.error() != 0) {
                initialized.completeExceptionally(new ModuleException(reply.error(), "the FUSE program refused INIT: "
                        + Errno.describe(reply.error())));
                return;
            }
            ByteBuffer out = reply.body();
            int major = out.remaining() >= 8 ? out.getInt(0) : 0;
            if (major != PROTOCOL_MAJOR) {
                initialized.completeExceptionally(new ModuleException(Errno.EPROTO,
                        "the FUSE program speaks protocol " + major + ", not " + PROTOCOL_MAJOR));
                return;
            }
            if (out.remaining() >= 24) {
                maxWrite = Math.max(4096, Math.min(Math.min(out.getInt(20), 1 << 20), channel.maxMessage() - 4096));
            }
            initialized.complete(null);
        });
    }

    /** Completes when the program answered INIT; fails if it refused it. */
    CompletableFuture<Void> initialized() {
        return initialized;
    }

    int maxWrite() {
        return maxWrite;
    }

    /** The most a READ may ask: what its reply can carry. */
    int maxRead() {
        return channel.maxMessage() - Channel.OUT_HEADER;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    /** remount,ro: the core refuses every change from now on; remount,rw only if the program writes. */
    @Override
    public boolean remount(boolean readOnly) {
        if (!readOnly && startedReadOnly) {
            return false;
        }
        this.readOnly = readOnly;
        return true;
    }

    @Override
    public boolean mayWaitOnTracees() {
        return true;
    }

    /** A request and its reply; a reply with an error becomes the exception the caller sees. */
    ByteBuffer call(int opcode, long node, byte[] body) throws ModuleException {
        awaitInit();
        Channel.Reply reply = await(send(opcode, node, body));
        if (reply.error() != 0) {
            LOG.debug("FUSE request {} on node {}: {}", opcode, node, Errno.name(reply.error()));
            if (reply.error() == Errno.ENOSYS) {
                unimplemented.add(opcode);
            }
            throw new ModuleException(reply.error());
        }
        return reply.body();
    }

    /** A request whose reply is not waited for (sent from the tracer thread, which must not wait). */
    Channel.Pending send(int opcode, long node, byte[] body) {
        if (!Opcode.mayChange(opcode)) {
            return channel.send(opcode, node, credentials(), body);
        }
        changesSent.incrementAndGet();
        Channel.Pending pending = channel.send(opcode, node, credentials(), body);
        pending.whenComplete((reply, failure) -> changesAnswered.incrementAndGet());
        return pending;
    }

    /** What attributes asked for now are reused under: the changes so far, or -1 while a change is on its way. */
    private long changesNow() {
        long answered = changesAnswered.get();
        return changesSent.get() == answered ? answered : -1;
    }

    private boolean valid(Attr attr, long now) {
        return attr != null && (attr.expiry() > now || reusable(attr.reusableUntil(), attr.changes(), now));
    }

    private boolean reusable(long until, long changes, long now) {
        return until > now && changes >= 0 && changes == changesNow();
    }

    private boolean knownAbsent(String path, long now) {
        Absent known = absent.get(path);
        return known != null && reusable(known.reusableUntil(), known.changes(), now);
    }

    /** LOOKUP of {@code path} in {@code parent}: its fuse_entry_out; ENOENT, without asking, for a name just found absent. */
    private ByteBuffer lookup(long parent, String path, long changes) throws ModuleException {
        if (knownAbsent(path, System.nanoTime())) {
            throw new ModuleException(Errno.ENOENT);
        }
        try {
            ByteBuffer out = call(Opcode.LOOKUP, parent, new Message().name(nameOf(path)).toBytes());
            if (out.getLong(0) == 0) {
                throw new ModuleException(Errno.ENOENT); // a negative entry
            }
            return out;
        } catch (ModuleException e) {
            absentNow(path, e, changes);
            throw e;
        }
    }

    /** Records {@code path} as absent if {@code failure} (of a LOOKUP sent under {@code changes}) says so. */
    private void absentNow(String path, Throwable failure, long changes) {
        if (failure instanceof ModuleException e && e.errno() == Errno.ENOENT && changes >= 0) {
            if (absent.size() >= MAX_ABSENT) {
                absent.clear();
            }
            absent.put(path, new Absent(System.nanoTime() + REUSE_NANOS, changes));
        }
    }

    /** Who a request says made it: its caller with -o human, else the mount's ids. */
    private Credentials credentials() {
        Caller caller = human ? Caller.current() : null;
        return caller == null ? credentials : new Credentials(caller.uid(), caller.gid(), caller.pid());
    }

    @Override
    public boolean enforcesPermissions() {
        return human;
    }

    @Override
    public boolean createsAsMount() {
        return !human;
    }

    boolean implemented(int opcode) {
        return !unimplemented.contains(opcode);
    }

    private void awaitInit() throws ModuleException {
        try {
            initialized.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ModuleException m ? m : new ModuleException(Errno.EIO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException(Errno.EINTR);
        }
    }

    /**
     * The reply to {@code request}. The caller was signalled if this thread is interrupted:
     * the program gets INTERRUPT for the request, and the caller EINTR at once (a late reply
     * is dropped).
     */
    private Channel.Reply await(Channel.Pending request) throws ModuleException {
        try {
            return request.get();
        } catch (ExecutionException e) {
            throw new ModuleException(Errno.EIO);
        } catch (InterruptedException e) {
            send(Opcode.INTERRUPT, 0, new Message().u64(request.unique).toBytes());
            throw new ModuleException(Errno.EINTR);
        }
    }

    /** The node of {@code path}, looked up (component by component) unless a valid entry is cached. */
    long node(String path) throws ModuleException {
        if (path.equals("/")) {
            return ROOT;
        }
        Entry entry = entries.get(path);
        if (entry != null && entry.expiry() > System.nanoTime()) {
            return entry.node();
        }
        long parent = followed(parentOf(path));
        long changes = changesNow();
        return entered(path, lookup(parent, path, changes), changes);
    }

    /**
     * The node of {@code path} with symlinks followed, the last one too. The core hands a
     * served file system its paths as the caller wrote them below the mount point, so links
     * inside the file system are followed here; one leaving it (absolute) cannot be.
     */
    long followed(String path) throws ModuleException {
        return target(path).node();
    }

    /** A node and its attributes, asked for once (a program may give them no time to live). */
    record Target(long node, FileAttributes attributes) {
    }

    /** The node {@code path} leads to, symlinks followed, with the attributes read on the way. */
    private Target target(String path) throws ModuleException {
        String asked = path;
        for (int links = 0; ; links++) {
            long node;
            try {
                node = node(path);
            } catch (SymlinkOut out) {
                // Told of the path asked for: the one reached by relative links stands for it.
                String leads = links == 0 ? null : out.leads(path);
                throw leads == null ? out : new SymlinkOut(asked, leads);
            }
            FileAttributes attributes = attributes(node);
            if (!attributes.isSymlink()) {
                return new Target(node, attributes);
            }
            if (links >= MAX_SYMLINKS) {
                throw new ModuleException(Errno.ELOOP);
            }
            String target = StandardCharsets.UTF_8.decode(call(Opcode.READLINK, node, new byte[0])).toString();
            if (target.startsWith("/")) {
                throw new SymlinkOut(asked, target);
            }
            path = normalize(parentOf(path) + "/" + target);
        }
    }

    /** "." and ".." taken out; ".." at the root stays at the root, as it does at a mount's root. */
    static String normalize(String path) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
    }

    /** Records a fuse_entry_out for {@code path}; returns its node. */
    private long entered(String path, ByteBuffer entryOut) throws ModuleException {
        return entered(path, entryOut, -1);
    }

    /** As {@link #entered(String, ByteBuffer)}, for a LOOKUP sent when {@link #changesNow} said {@code changes}. */
    private long entered(String path, ByteBuffer entryOut, long changes) throws ModuleException {
        long node = entryOut.getLong(0);
        long entryValid = entryOut.getLong(16);
        long attrValid = entryOut.getLong(24);
        int entryNanos = entryOut.getInt(32);
        int attrNanos = entryOut.getInt(36);
        if (node == 0) {
            throw new ModuleException(Errno.ENOENT); // a negative entry
        }
        lookups.merge(node, 1L, Long::sum);
        FileAttributes attr = Attributes.read(entryOut.position(40), device);
        Entry old = entries.put(path, new Entry(node, Attributes.expiry(entryValid, entryNanos)));
        attributes.put(node, attr(attr, Attributes.expiry(attrValid, attrNanos), changes));
        if (old != null && old.node() != node) {
            forgetIfUnused(old.node());
        }
        return node;
    }

    /** The attributes of {@code node}, asked for again once they are no longer valid. */
    FileAttributes attributes(long node) throws ModuleException {
        Attr attr = attributes.get(node);
        if (valid(attr, System.nanoTime())) {
            return attr.attributes();
        }
        long changes = changesNow();
        return attrOut(node, call(Opcode.GETATTR, node, new Message().u32(0).u32(0).u64(0).toBytes()), changes);
    }

    /** Records a fuse_attr_out for {@code node}, the reply to a change. */
    private FileAttributes attrOut(long node, ByteBuffer out) {
        return attrOut(node, out, -1);
    }

    /** Records a fuse_attr_out for {@code node}, asked for when {@link #changesNow} said {@code changes}. */
    private FileAttributes attrOut(long node, ByteBuffer out, long changes) {
        long valid = out.getLong(0);
        int nanos = out.getInt(8);
        FileAttributes attr = Attributes.read(out.position(16), device);
        attributes.put(node, attr(attr, Attributes.expiry(valid, nanos), changes));
        return attr;
    }

    private static Attr attr(FileAttributes attributes, long expiry, long changes) {
        return new Attr(attributes, expiry, System.nanoTime() + REUSE_NANOS, changes);
    }

    /** The file changed (written, truncated): its cached attributes and data read ahead are stale. */
    void changed(long node) {
        attributes.remove(node);
        generations.merge(node, 1, Integer::sum);
    }

    /** Counts the changes of {@code node} made through the view: data read ahead before one is stale. */
    int generation(long node) {
        return generations.getOrDefault(node, 0);
    }

    /** SETATTR of {@code valid} fields; {@code fh} with FATTR_FH. */
    FileAttributes setattr(long node, int valid, long fh, long size, int mode) throws ModuleException {
        return setattr(node, valid, fh, size, mode, 0, 0, null, null);
    }

    /** SETATTR, every field of struct fuse_setattr_in; a null time is not set. */
    private FileAttributes setattr(long node, int valid, long fh, long size, int mode, int uid, int gid, Timestamp atime,
            Timestamp mtime) throws ModuleException {
        checkWritable();
        byte[] body = new Message().u32(valid).u32(0).u64(fh).u64(size).u64(0)
                .u64(atime == null ? 0 : atime.seconds()).u64(mtime == null ? 0 : mtime.seconds()).u64(0)
                .u32(atime == null ? 0 : atime.nanos()).u32(mtime == null ? 0 : mtime.nanos()).u32(0)
                .u32(mode).u32(0).u32(uid).u32(gid).u32(0).toBytes();
        changed(node);
        return attrOut(node, call(Opcode.SETATTR, node, body));
    }

    @Override
    public void chown(String path, int uid, int gid, boolean follow) throws ModuleException {
        int valid = (uid != -1 ? FATTR_UID : 0) | (gid != -1 ? FATTR_GID : 0);
        if (valid != 0) {
            setattr(follow ? followed(path) : node(path), valid, 0, 0, 0, uid, gid, null, null);
        }
    }

    @Override
    public void setTimes(String path, Timestamp access, Timestamp modification, boolean follow) throws ModuleException {
        int valid = 0;
        if (access != null) {
            valid |= FATTR_ATIME | (access.now() ? FATTR_ATIME_NOW : 0);
        }
        if (modification != null) {
            valid |= FATTR_MTIME | (modification.now() ? FATTR_MTIME_NOW : 0);
        }
        long node = follow ? followed(path) : node(path);
        if (valid == 0) {
            attributes(node);
            return;
        }
        setattr(node, valid, 0, 0, 0, 0, 0, access, modification);
    }

    void opened(long node) {
        opens.merge(node, 1, Integer::sum);
    }

    void closed(long node) {
        opens.computeIfPresent(node, (n, count) -> count == 1 ? null : count - 1);
        forgetIfUnused(node);
    }

    /* Drops what is cached of path (and, for directories that moved or went, what is below it). */
    private void invalidate(String path) {
        String below = path + "/";
        for (Map.Entry<String, Entry> cached : entries.entrySet()) {
            if (cached.getKey().equals(path) || cached.getKey().startsWith(below)) {
                if (entries.remove(cached.getKey(), cached.getValue())) {
                    attributes.remove(cached.getValue().node());
                    forgetIfUnused(cached.getValue().node());
                }
            }
        }
    }

    private void forgetIfUnused(long node) {
        if (node == ROOT || opens.containsKey(node) || entries.values().stream().anyMatch(e -> e.node() == node)) {
            return;
        }
        Long count = lookups.remove(node);
        if (count != null) {
            attributes.remove(node);
            send(Opcode.FORGET, node, new Message().u64(count).toBytes());
        }
    }

    void checkWritable() throws ModuleException {
        if (readOnly) {
            throw new ModuleException(Errno.EROFS);
        }
    }

    /**
     * A stat made of at most one LOOKUP (of a name in a directory already known) and one
     * GETATTR, sent without waiting: the program's reply completes it on the tracer thread.
     * Anything longer (several names to look up, a symlink in the way) is left to {@link #stat}.
     */
    @Override
    public CompletableFuture<FileAttributes> statLater(String path, boolean follow) {
        if (!initialized.isDone() || initialized.isCompletedExceptionally()) {
            return null;
        }
        CompletableFuture<Target> target = targetLater(path);
        if (target == null) {
            return null;
        }
        return target.thenCompose(found -> found.attributes() != null ? CompletableFuture.completedFuture(found.attributes())
                : attributesLater(found.node()))
                .thenCompose(attributes -> follow && attributes.isSymlink()
                        ? CompletableFuture.supplyAsync(() -> {
                            try {
                                return stat(path, true); // rare: the links are followed the long way
                            } catch (ModuleException e) {
                                throw new java.util.concurrent.CompletionException(e);
                            }
                        })
                        : CompletableFuture.completedFuture(attributes));
    }

    /**
     * The node of {@code path} from the cache (attributes null), or from one LOOKUP in a
     * directory the cache knows (with the attributes its reply brought); null if more is needed.
     */
    CompletableFuture<Target> targetLater(String path) {
        if (path.equals("/")) {
            return CompletableFuture.completedFuture(new Target(ROOT, null));
        }
        long now = System.nanoTime();
        Entry entry = entries.get(path);
        if (entry != null && entry.expiry() > now) {
            return CompletableFuture.completedFuture(new Target(entry.node(), null));
        }
        long parent = ROOT;
        if (!parentOf(path).equals("/")) {
            Entry directory = entries.get(parentOf(path));
            // A node never changes type: a directory known once is one still (a symlink is followed the long way).
            Attr known = directory == null ? null : attributes.get(directory.node());
            if (directory == null || directory.expiry() <= now || known == null || !known.attributes().isDirectory()) {
                return null;
            }
            parent = directory.node();
        }
        long changes = changesNow();
        if (knownAbsent(path, now)) {
            return CompletableFuture.failedFuture(new ModuleException(Errno.ENOENT));
        }
        return callLater(Opcode.LOOKUP, parent, new Message().name(nameOf(path)).toBytes()).thenApply(out -> {
            try {
                long node = entered(path, out, changes);
                return new Target(node, attributes.get(node).attributes());
            } catch (ModuleException e) {
                absentNow(path, e, changes);
                throw new java.util.concurrent.CompletionException(e);
            }
        }).whenComplete((target, failure) -> {
            if (failure instanceof java.util.concurrent.CompletionException c) {
                absentNow(path, c.getCause(), changes);
            }
        });
    }

    /** The attributes of {@code node}: cached, or with a GETATTR no thread waits for; null before INIT's reply. */
    CompletableFuture<FileAttributes> attributesLater(long node) {
        if (!initialized.isDone() || initialized.isCompletedExceptionally()) {
            return null;
        }
        Attr attr = attributes.get(node);
        if (valid(attr, System.nanoTime())) {
            return CompletableFuture.completedFuture(attr.attributes());
        }
        long changes = changesNow();
        return callLater(Opcode.GETATTR, node, new Message().u32(0).u32(0).u64(0).toBytes())
                .thenApply(out -> attrOut(node, out, changes));
    }

    /** A request whose reply's body, or error, completes the future (no thread waits for it). */
    CompletableFuture<ByteBuffer> callLater(int opcode, long node, byte[] body) {
        return send(opcode, node, body).thenApply(reply -> {
            if (reply.error() != 0) {
                if (reply.error() == Errno.ENOSYS) {
                    unimplemented.add(opcode);
                }
                throw new java.util.concurrent.CompletionException(new ModuleException(reply.error()));
            }
            return reply.body();
        });
    }

    @Override
    public CompletableFuture<OpenFile> openLater(String path, int flags, int mode) {
        if (!initialized.isDone() || initialized.isCompletedExceptionally()) {
            return null;
        }
        return FuseFile.openLater(this, path, flags, mode);
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        return follow ? target(path).attributes() : attributes(node(path));
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        return FuseFile.open(this, path, flags, mode);
    }

    /** CREATE of {@code path}: entry and open file at once. Returns {node, fh, open flags}; null if the program has no CREATE. */
    long[] create(String path, int flags, int mode) throws ModuleException {
        if (!implemented(Opcode.CREATE)) {
            return null;
        }
        checkWritable();
        ByteBuffer out;
        try {
            out = making(path, parent -> call(Opcode.CREATE, parent,
                    new Message().u32(flags).u32(FileAttributes.S_IFREG | (mode & 07777)).u32(0).u32(0).name(nameOf(path)).toBytes()));
        } catch (ModuleException e) {
            if (e.errno() == Errno.ENOSYS) {
                return null;
            }
            throw e;
        }
        long node = entered(path, out);
        return new long[] {node, out.getLong(40 + Attributes.SIZE), out.getInt(48 + Attributes.SIZE)};
    }

    /** MKNOD: struct fuse_mknod_in (mode with its type, rdev in mknod(2)'s encoding, umask) and the name; a regular file too, for programs without CREATE. */
    @Override
    public void mknod(String path, int mode, long device) throws ModuleException {
        checkWritable();
        long[] made = new long[1];
        entered(path, making(path, parent -> {
            made[0] = parent;
            return call(Opcode.MKNOD, parent, new Message().u32(mode).u32((int) device).u32(0).u32(0).name(nameOf(path)).toBytes());
        }));
        changed(made[0]);
    }

    /** A request that makes a name in directory {@code parent}. */
    @FunctionalInterface
    private interface Making {
        ByteBuffer in(long parent) throws ModuleException;
    }

    /**
     * Makes the name {@code path} with {@code making}, only if a fresh LOOKUP does not find
     * it, one name at a time per directory: the kernel holds the directory's lock from its
     * lookup to the create, so two processes making one name never both reach the program
     * (fuse2fs takes a second MKDIR of a name for a damaged file system and turns it
     * read-only). EEXIST if the name is there.
     */
    private ByteBuffer making(String path, Making making) throws ModuleException {
        long parent = followed(parentOf(path));
        synchronized (directoryLocks[(int) Math.floorMod(parent, (long) directoryLocks.length)]) {
            boolean exists;
            try {
                long changes = changesNow();
                entered(path, lookup(parent, path, changes), changes);
                exists = true;
            } catch (ModuleException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                exists = false;
            }
            if (exists) {
                throw new ModuleException(Errno.EEXIST);
            }
            return making.in(parent);
        }
    }

    @Override
    public String readlink(String path) throws ModuleException {
        ByteBuffer target = call(Opcode.READLINK, node(path), new byte[0]);
        return StandardCharsets.UTF_8.decode(target).toString();
    }

    @Override
    public void mkdir(String path, int mode) throws ModuleException {
        checkWritable();
        entered(path, making(path, parent -> call(Opcode.MKDIR, parent, new Message().u32(mode).u32(0).name(nameOf(path)).toBytes())));
    }

    @Override
    public void rmdir(String path) throws ModuleException {
        remove(Opcode.RMDIR, path);
    }

    @Override
    public void unlink(String path) throws ModuleException {
        remove(Opcode.UNLINK, path);
    }

    private void remove(int opcode, String path) throws ModuleException {
        checkWritable();
        long parent = followed(parentOf(path));
        try {
            call(opcode, parent, new Message().name(nameOf(path)).toBytes());
        } finally {
            invalidate(path);
            changed(parent);
        }
    }

    @Override
    public void rename(String from, String to) throws ModuleException {
        checkWritable();
        long fromParent = followed(parentOf(from));
        long toParent = followed(parentOf(to));
        try {
            call(Opcode.RENAME, fromParent, new Message().u64(toParent).name(nameOf(from)).name(nameOf(to)).toBytes());
        } finally {
            invalidate(from);
            invalidate(to);
            changed(fromParent);
            changed(toParent);
        }
    }

    @Override
    public void symlink(String target, String path) throws ModuleException {
        checkWritable();
        entered(path, making(path, parent -> call(Opcode.SYMLINK, parent, new Message().name(nameOf(path)).name(target).toBytes())));
    }

    @Override
    public void link(String from, String to) throws ModuleException {
        checkWritable();
        long old = node(from);
        entered(to, making(to, parent -> call(Opcode.LINK, parent, new Message().u64(old).name(nameOf(to)).toBytes())));
        changed(old);
    }

    @Override
    public void chmod(String path, int mode) throws ModuleException {
        setattr(followed(path), FATTR_MODE, 0, 0, mode);
    }

    @Override
    public void truncate(String path, long length) throws ModuleException {
        setattr(followed(path), FATTR_SIZE, 0, length, 0);
    }

    /** ftruncate of an open file. */
    void truncate(long node, long fh, long length) throws ModuleException {
        setattr(node, FATTR_SIZE | FATTR_FH, fh, length, 0);
    }

    @Override
    public void access(String path, int mode) throws ModuleException {
        long node = followed(path);
        if ((mode & W_OK) != 0) {
            checkWritable();
        }
        if (mode != 0 && implemented(Opcode.ACCESS)) {
            try {
                call(Opcode.ACCESS, node, new Message().u32(mode).u32(0).toBytes());
            } catch (ModuleException e) {
                if (e.errno() != Errno.ENOSYS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public FileSystemStats statfs(String path) throws ModuleException {
        ByteBuffer out = call(Opcode.STATFS, followed(path), new byte[0]);
        long blocks = out.getLong(0);
        long free = out.getLong(8);
        long available = out.getLong(16);
        long files = out.getLong(24);
        long freeFiles = out.getLong(32);
        int blockSize = out.getInt(40);
        int nameMax = out.getInt(44);
        return new FileSystemStats(FUSE_SUPER_MAGIC, blockSize, blocks, free, available, files, freeFiles, nameMax,
                readOnly ? ST_RDONLY : 0);
    }

    /**
     * DESTROY (the program writes what it keeps and closes the image), then SIGTERM: the
     * program leaves its loop and exits, as when its user stops it; one that does not within
     * {@link #STOP_SECONDS} reads the end of its connection. Never waits.
     */
    @Override
    public void unmount() {
        if (!initialized.isDone() || initialized.isCompletedExceptionally() || channel.closed()) {
            channel.abort();
            return;
        }
        LOG.debug("FUSE mount ends: DESTROY");
        channel.send(Opcode.DESTROY, 0, credentials, new byte[0]).thenRun(() -> {
            stopProgram.run();
            CompletableFuture.delayedExecutor(STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS).execute(channel::abort);
        });
    }

    @Override
    public CompletableFuture<?> ended() {
        return ended;
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
