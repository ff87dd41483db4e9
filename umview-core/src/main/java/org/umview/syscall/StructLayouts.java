package org.umview.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.umview.module.DirectoryEntry;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystemStats;

/** The x86_64 layouts of the structures the core fills for virtual files: stat, statx, dirent64. */
public final class StructLayouts {
    public static final int STAT_SIZE = 144;
    public static final int STATX_SIZE = 256;
    public static final int STATFS_SIZE = 120;
    private static final int STATX_BASIC_STATS = 0x7ff;

    private StructLayouts() {
    }

    public static byte[] stat(FileAttributes a) {
        ByteBuffer b = ByteBuffer.allocate(STAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, a.device()).putLong(8, a.inode()).putLong(16, a.links()).putInt(24, a.mode())
                .putInt(28, a.uid()).putInt(32, a.gid()).putLong(40, a.rdev()).putLong(48, a.size())
                .putLong(56, a.blockSize()).putLong(64, a.blocks())
                .putLong(72, a.atimeSeconds()).putLong(80, a.atimeNanos())
                .putLong(88, a.mtimeSeconds()).putLong(96, a.mtimeNanos())
                .putLong(104, a.ctimeSeconds()).putLong(112, a.ctimeNanos());
        return b.array();
    }

    /** Reads a struct stat (as the host's libc fills it). */
    public static FileAttributes stat(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return new FileAttributes(b.getLong(0), b.getLong(8), b.getInt(24), b.getLong(16), b.getInt(28), b.getInt(32),
                b.getLong(40), b.getLong(48), b.getLong(56), b.getLong(64), b.getLong(72), (int) b.getLong(80),
                b.getLong(88), (int) b.getLong(96), b.getLong(104), (int) b.getLong(112));
    }

    public static byte[] statx(FileAttributes a) {
        ByteBuffer b = ByteBuffer.allocate(STATX_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, STATX_BASIC_STATS).putInt(4, (int) a.blockSize()).putInt(16, (int) a.links())
                .putInt(20, a.uid()).putInt(24, a.gid()).putShort(28, (short) a.mode()).putLong(32, a.inode())
                .putLong(40, a.size()).putLong(48, a.blocks());
        timestamp(b, 64, a.atimeSeconds(), a.atimeNanos());
        timestamp(b, 96, a.ctimeSeconds(), a.ctimeNanos());
        timestamp(b, 112, a.mtimeSeconds(), a.mtimeNanos());
        b.putInt(128, major(a.rdev())).putInt(132, minor(a.rdev()))
                .putInt(136, major(a.device())).putInt(140, minor(a.device()));
        return b.array();
    }

    public static byte[] statfs(FileSystemStats s) {
        ByteBuffer b = ByteBuffer.allocate(STATFS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, s.type()).putLong(8, s.blockSize()).putLong(16, s.blocks()).putLong(24, s.freeBlocks())
                .putLong(32, s.availableBlocks()).putLong(40, s.files()).putLong(48, s.freeFiles())
                .putLong(64, s.nameMax()).putLong(72, s.blockSize()).putLong(80, s.flags());
        return b.array();
    }

    /** Reads a struct statfs (as the host's libc fills it). */
    public static FileSystemStats statfs(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return new FileSystemStats(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32),
                b.getLong(40), b.getLong(48), b.getLong(64), b.getLong(80));
    }

    /** One struct linux_dirent64; {@code nextOffset} is what lseek takes to continue after it. */
    public static byte[] dirent64(DirectoryEntry entry, long nextOffset) {
        byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
        int length = (19 + name.length + 1 + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, entry.inode()).putLong(8, nextOffset).putShort(16, (short) length).put(18, (byte) entry.type());
        b.put(19, name);
        return b.array();
    }

    private static void timestamp(ByteBuffer b, int at, long seconds, int nanos) {
        b.putLong(at, seconds).putInt(at + 8, nanos);
    }

    private static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    private static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }
}
