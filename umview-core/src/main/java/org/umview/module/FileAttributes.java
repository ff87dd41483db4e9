package org.umview.module;

/**
 * What stat(2) reports about a file, in the kernel's units: mode with the file type bits,
 * times as seconds and nanoseconds since the epoch.
 */
public record FileAttributes(long device, long inode, int mode, long links, int uid, int gid, long rdev, long size,
        long blockSize, long blocks, long atimeSeconds, int atimeNanos, long mtimeSeconds, int mtimeNanos,
        long ctimeSeconds, int ctimeNanos) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFSOCK = 0140000;

    /** The same file numbered {@code inode} on {@code device} (a copied-up file showing its original's number). */
    public FileAttributes numbered(long device, long inode) {
        return new FileAttributes(device, inode, mode, links, uid, gid, rdev, size, blockSize, blocks, atimeSeconds, atimeNanos,
                mtimeSeconds, mtimeNanos, ctimeSeconds, ctimeNanos);
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }
}
