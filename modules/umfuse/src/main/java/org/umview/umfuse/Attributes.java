package org.umview.umfuse;

import java.nio.ByteBuffer;
import org.umview.module.FileAttributes;

/** struct fuse_attr (88 bytes) as the core's {@link FileAttributes}; {@code device} numbers the mount. */
final class Attributes {
    static final int SIZE = 88;

    private Attributes() {
    }

    /** Reads a fuse_attr at the buffer's position, which it moves past it. */
    static FileAttributes read(ByteBuffer in, long device) {
        long ino = in.getLong();
        long size = in.getLong();
        long blocks = in.getLong();
        long atime = in.getLong();
        long mtime = in.getLong();
        long ctime = in.getLong();
        int atimeNanos = in.getInt();
        int mtimeNanos = in.getInt();
        int ctimeNanos = in.getInt();
        int mode = in.getInt();
        int links = in.getInt();
        int uid = in.getInt();
        int gid = in.getInt();
        int rdev = in.getInt();
        int blockSize = in.getInt();
        in.getInt(); // flags
        return new FileAttributes(device, ino, mode, Integer.toUnsignedLong(links), uid, gid, Integer.toUnsignedLong(rdev),
                size, blockSize == 0 ? 4096 : blockSize, blocks, atime, atimeNanos, mtime, mtimeNanos, ctime, ctimeNanos);
    }

    /** A validity period (seconds and nanoseconds) as an instant on {@link System#nanoTime}'s clock. */
    static long expiry(long seconds, int nanos) {
        long now = System.nanoTime();
        if (seconds > (Long.MAX_VALUE - now) / 1_000_000_000L / 2) {
            return Long.MAX_VALUE;
        }
        return now + seconds * 1_000_000_000L + Integer.toUnsignedLong(nanos);
    }
}
