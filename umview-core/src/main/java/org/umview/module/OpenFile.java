package org.umview.module;

import java.nio.ByteBuffer;
import java.util.List;
import org.umview.libc.Errno;

/**
 * A file a served file system opened. The core keeps the offset and the descriptors: reads
 * and writes are positional, and close comes once, when the last descriptor sharing this open
 * file is closed.
 */
public interface OpenFile {
    /**
     * A directory whose entries are regular files named {@code names} (inodes 2, 3, ... in
     * that order), with "." and "..": what small served file systems list at their root.
     */
    static OpenFile directoryOf(FileAttributes attributes, java.util.function.Supplier<List<String>> names) {
        return directory(attributes, () -> {
            List<DirectoryEntry> entries = new java.util.ArrayList<>(List.of(new DirectoryEntry(".", 1, DirectoryEntry.DT_DIR),
                    new DirectoryEntry("..", 1, DirectoryEntry.DT_DIR)));
            List<String> files = names.get();
            for (int i = 0; i < files.size(); i++) {
                entries.add(new DirectoryEntry(files.get(i), 2 + i, DirectoryEntry.DT_REG));
            }
            return entries;
        });
    }

    /** A directory with {@code attributes} whose listing {@code entries} gives when asked. */
    static OpenFile directory(FileAttributes attributes, java.util.function.Supplier<List<DirectoryEntry>> entries) {
        return new OpenFile() {
            @Override
            public FileAttributes stat() {
                return attributes;
            }

            @Override
            public List<DirectoryEntry> list() {
                return entries.get();
            }
        };
    }

    /** A read of a file whose whole content is at hand: the part of {@code content} from {@code offset}. */
    static int readFrom(byte[] content, ByteBuffer into, long offset) {
        if (offset >= content.length) {
            return 0;
        }
        int n = (int) Math.min(into.remaining(), content.length - offset);
        into.put(content, (int) offset, n);
        return n;
    }

    /** Reads into {@code into} from {@code offset}; returns the bytes read, 0 at the end. */
    default int read(ByteBuffer into, long offset) throws ModuleException {
        throw new ModuleException(Errno.EINVAL);
    }

    /** Writes {@code from} at {@code offset}; returns the bytes written. */
    default int write(ByteBuffer from, long offset) throws ModuleException {
        throw new ModuleException(Errno.EINVAL);
    }

    /**
     * For files of file systems that may wait on tracees: reads at once if that needs no
     * waiting (data already at hand), returning the bytes read, else -1, and {@link #read} is
     * called off the tracer thread. Must never wait.
     */
    default int readNow(ByteBuffer into, long offset) throws ModuleException {
        return -1;
    }

    /**
     * For files of file systems that may wait on tracees: a read that completes when there is
     * something to read, with no thread waiting for it (the reader stays stopped meanwhile);
     * null if the file has none, and {@link #read} is called on a module thread. The future
     * gives the bytes read, or fails with a {@link ModuleException}; completing it with one
     * (EINTR, when a signal comes for the reader) gives up the read.
     */
    default java.util.concurrent.CompletableFuture<Integer> readLater(ByteBuffer into, long offset) {
        return null;
    }

    /** As {@link #readLater}, for writes: the bytes written, when the file system says. */
    default java.util.concurrent.CompletableFuture<Integer> writeLater(ByteBuffer from, long offset) {
        return null;
    }

    /** As {@link #readNow}, for writes. */
    default int writeNow(ByteBuffer from, long offset) throws ModuleException {
        return -1;
    }

    /**
     * For ioctl(2): how many bytes the argument of {@code request} points to (copied in before
     * {@link #ioctl} and back out after), 0 if it is not a pointer, -1 if the request is not
     * served here (ENOTTY).
     */
    default int ioctlArgumentSize(long request) {
        return -1;
    }

    /** Serves ioctl {@code request}; {@code argument} holds the bytes its pointer points to. Returns the call's result. */
    default long ioctl(long request, ByteBuffer argument) throws ModuleException {
        throw new ModuleException(Errno.ENOTTY);
    }

    /**
     * ioctl {@code request} with its argument's own value as well ({@code value}: a number, or a
     * descriptor of the caller, which {@code caller} can take over). By default {@link #ioctl(long, ByteBuffer)}.
     */
    default long ioctl(long request, long value, ByteBuffer argument, CallerDescriptors caller) throws ModuleException {
        return ioctl(request, argument);
    }

    FileAttributes stat() throws ModuleException;

    /**
     * As {@link FileSystem#statLater}, for this open file: the attributes when the reply comes,
     * with no thread waiting; null to have {@link #stat} asked on a module thread.
     */
    default java.util.concurrent.CompletableFuture<FileAttributes> statLater() {
        return null;
    }

    /** The whole listing of a directory, "." and ".." included. */
    default List<DirectoryEntry> list() throws ModuleException {
        throw new ModuleException(Errno.ENOTDIR);
    }

    default void truncate(long length) throws ModuleException {
        throw new ModuleException(Errno.EINVAL);
    }

    default void sync() throws ModuleException {
    }

    default void close() {
    }
}
