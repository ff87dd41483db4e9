package org.umview.umdev;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.umview.libc.Errno;
import org.umview.module.BlockDevice;
import org.umview.module.CallerDescriptors;
import org.umview.module.FileAttributes;
import org.umview.module.HeldFile;
import org.umview.module.ModuleException;

/**
 * /dev/loopN of the view: a block device whose bytes are those of a file the caller handed
 * over (LOOP_CONFIGURE, LOOP_SET_FD), from an offset and up to a size limit, as the kernel's
 * loop driver has them. The file is let go at LOOP_CLR_FD, or with autoclear when the last
 * open and the last mount made from the device end.
 */
final class LoopDevice implements Storage, BlockDevice {
    static final int MAJOR = 7;

    private static final long LOOP_SET_FD = 0x4C00;
    private static final long LOOP_CLR_FD = 0x4C01;
    private static final long LOOP_SET_STATUS = 0x4C02;
    private static final long LOOP_GET_STATUS = 0x4C03;
    private static final long LOOP_SET_STATUS64 = 0x4C04;
    private static final long LOOP_GET_STATUS64 = 0x4C05;
    private static final long LOOP_CHANGE_FD = 0x4C06;
    private static final long LOOP_SET_CAPACITY = 0x4C07;
    private static final long LOOP_SET_DIRECT_IO = 0x4C08;
    private static final long LOOP_SET_BLOCK_SIZE = 0x4C09;
    private static final long LOOP_CONFIGURE = 0x4C0A;
    /** struct loop_info64, struct loop_config and the old struct loop_info (linux/loop.h, x86_64). */
    private static final int INFO_SIZE = 232;
    private static final int OLD_INFO_SIZE = 168;
    private static final int CONFIG_SIZE = 8 + INFO_SIZE + 64;
    private static final int NAME_SIZE = 64;
    static final int LO_FLAGS_READ_ONLY = 1;
    static final int LO_FLAGS_AUTOCLEAR = 4;
    static final int LO_FLAGS_PARTSCAN = 8;
    static final int LO_FLAGS_DIRECT_IO = 16;
    /** What LOOP_SET_STATUS64 may change (linux/loop.h: LOOP_SET_STATUS_SETTABLE_FLAGS). */
    private static final int SETTABLE = LO_FLAGS_AUTOCLEAR | LO_FLAGS_PARTSCAN;
    private static final int SECTOR = 512;

    private final int number;
    private HeldFile file;
    private long offset;
    private long sizeLimit;
    private long fileSize;
    private int flags;
    private byte[] name = new byte[NAME_SIZE];
    private int opens;
    private int mounts;

    LoopDevice(int number) {
        this.number = number;
    }

    int number() {
        return number;
    }

    synchronized boolean bound() {
        return file != null;
    }

    synchronized String backingFile() {
        return file == null ? null : file.path();
    }

    synchronized long offset() {
        return offset;
    }

    synchronized long sizeLimit() {
        return sizeLimit;
    }

    synchronized int flags() {
        return flags;
    }

    /** The device's size: the file's from the offset, within the limit, as measured at setup and LOOP_SET_CAPACITY. */
    @Override
    public synchronized long size() {
        if (file == null) {
            return 0;
        }
        long size = Math.max(0, fileSize - offset);
        if (sizeLimit > 0) {
            size = Math.min(size, sizeLimit);
        }
        return size / SECTOR * SECTOR;
    }

    /** Always: its file may be one a FUSE program serves, and even setting it up asks that file's size. */
    @Override
    public boolean mayWaitOnTracees() {
        return true;
    }

    @Override
    public synchronized boolean readOnly() {
        return file != null && (flags & LO_FLAGS_READ_ONLY) != 0;
    }

    @Override
    public int read(ByteBuffer into, long at) {
        return move(into, at, false);
    }

    @Override
    public int write(ByteBuffer from, long at) {
        return move(from, at, true);
    }

    /** Reads into or writes from {@code data} at {@code at} of the device: that part of the file, within the device's size. */
    private int move(ByteBuffer data, long at, boolean write) {
        long size = size();
        if (at >= size) {
            return 0;
        }
        ByteBuffer part = data.slice(data.position(), (int) Math.min(data.remaining(), size - at));
        HeldFile held = held();
        try {
            while (part.hasRemaining()) {
                long where = offset() + at + part.position();
                if ((write ? held.write(part, where) : held.read(part, where)) <= 0 && !write) {
                    break; // a short read of a regular file only happens at its end
                }
            }
        } catch (ModuleException e) {
            throw new UncheckedIOException(new java.io.IOException(e.getMessage()));
        }
        data.position(data.position() + part.position());
        return part.position();
    }

    private synchronized HeldFile held() {
        if (file == null) {
            throw new UncheckedIOException(new java.io.IOException("loop" + number + " has no file"));
        }
        return file;
    }

    @Override
    public void sync() {
        HeldFile held;
        synchronized (this) {
            held = file;
        }
        if (held != null) {
            try {
                held.sync();
            } catch (ModuleException e) {
                throw new UncheckedIOException(new java.io.IOException(e.getMessage()));
            }
        }
    }

    @Override
    public synchronized void opened() {
        opens++;
    }

    @Override
    public synchronized void closed() {
        opens--;
        clearIfUnused();
    }

    @Override
    public synchronized String image() throws ModuleException {
        if (file == null) {
            throw new ModuleException(Errno.ENXIO, "/dev/loop" + number + " has no file (losetup it first)");
        }
        // A file system program reads the file itself where the device is all of it.
        return offset == 0 && sizeLimit == 0 ? file.path() : null;
    }

    @Override
    public synchronized void mounted() {
        mounts++;
    }

    @Override
    public synchronized void unmounted() {
        mounts--;
        clearIfUnused();
    }

    private void clearIfUnused() {
        if (file != null && (flags & LO_FLAGS_AUTOCLEAR) != 0 && opens <= 0 && mounts <= 0) {
            clear();
        }
    }

    private void clear() {
        file.close();
        file = null;
        offset = 0;
        sizeLimit = 0;
        flags = 0;
        fileSize = 0;
        name = new byte[NAME_SIZE];
    }

    @Override
    public void close() {
        synchronized (this) {
            if (file != null) {
                clear();
            }
        }
    }

    @Override
    public int ioctlArgumentSize(long request) {
        if (request == LOOP_SET_STATUS64 || request == LOOP_GET_STATUS64) {
            return INFO_SIZE;
        }
        if (request == LOOP_SET_STATUS || request == LOOP_GET_STATUS) {
            return OLD_INFO_SIZE;
        }
        if (request == LOOP_CONFIGURE) {
            return CONFIG_SIZE;
        }
        return request == LOOP_SET_FD || request == LOOP_CLR_FD || request == LOOP_CHANGE_FD || request == LOOP_SET_CAPACITY
                || request == LOOP_SET_DIRECT_IO || request == LOOP_SET_BLOCK_SIZE ? 0 : -1;
    }

    @Override
    public synchronized long ioctl(long request, long value, ByteBuffer argument, CallerDescriptors caller)
            throws ModuleException {
        if (request == LOOP_SET_FD) {
            bind(caller, (int) value, 0, 0, 0, null);
        } else if (request == LOOP_CONFIGURE) {
            int blockSize = argument.getInt(4);
            if (blockSize != 0 && (blockSize < SECTOR || blockSize > 4096 || Integer.bitCount(blockSize) != 1)) {
                throw new ModuleException(Errno.EINVAL);
            }
            byte[] given = new byte[NAME_SIZE];
            argument.get(8 + 56, given);
            bind(caller, argument.getInt(0), argument.getLong(8 + 24), argument.getLong(8 + 32), argument.getInt(8 + 52), given);
        } else if (request == LOOP_CLR_FD) {
            unbound();
            flags |= LO_FLAGS_AUTOCLEAR; // let go when the last user closes
            if (opens <= 1 && mounts <= 0) {
                clear(); // the caller is the only one: the kernel's device is "in rundown", ENXIO to all from now
            }
        } else if (request == LOOP_SET_STATUS64) {
            unbound();
            offset = argument.getLong(24);
            sizeLimit = argument.getLong(32);
            flags = (flags & ~SETTABLE) | (argument.getInt(52) & SETTABLE);
            argument.get(56, name);
        } else if (request == LOOP_GET_STATUS64) {
            unbound();
            status(argument);
        } else if (request == LOOP_SET_STATUS) {
            unbound();
            offset = Integer.toUnsignedLong(argument.getInt(32));
            flags = (flags & ~SETTABLE) | (argument.getInt(44) & SETTABLE);
            argument.get(48, name);
        } else if (request == LOOP_GET_STATUS) {
            unbound();
            oldStatus(argument);
        } else if (request == LOOP_SET_DIRECT_IO) {
            unbound();
            flags = value != 0 ? flags | LO_FLAGS_DIRECT_IO : flags & ~LO_FLAGS_DIRECT_IO;
        } else if (request == LOOP_SET_CAPACITY) {
            unbound();
            fileSize = file.stat().size();
        } else if (request == LOOP_SET_BLOCK_SIZE) {
            unbound(); // blocks of any size read the same bytes
        } else {
            throw new ModuleException(Errno.EINVAL, "LOOP_CHANGE_FD is not built");
        }
        return 0;
    }

    /** ENXIO for a device with no file, as the kernel answers. */
    private void unbound() throws ModuleException {
        if (file == null) {
            throw new ModuleException(Errno.ENXIO);
        }
    }

    private void bind(CallerDescriptors caller, int fd, long at, long limit, int asked, byte[] given) throws ModuleException {
        if (file != null) {
            throw new ModuleException(Errno.EBUSY);
        }
        HeldFile held = caller.hold(fd);
        FileAttributes attributes = held.stat();
        if (!attributes.isRegular() && (attributes.mode() & FileAttributes.S_IFMT) != FileAttributes.S_IFBLK) {
            held.close();
            throw new ModuleException(Errno.EINVAL);
        }
        file = held;
        fileSize = attributes.size();
        offset = at;
        sizeLimit = limit;
        flags = (asked & (LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR | LO_FLAGS_PARTSCAN | LO_FLAGS_DIRECT_IO))
                | (held.writable() ? 0 : LO_FLAGS_READ_ONLY);
        if (given != null && given[0] != 0) {
            name = given;
        } else {
            byte[] path = held.path().getBytes(StandardCharsets.UTF_8);
            name = new byte[NAME_SIZE];
            System.arraycopy(path, 0, name, 0, Math.min(path.length, NAME_SIZE - 1));
        }
    }

    /** The old struct loop_info: the same facts, an int offset, no size limit. */
    private void oldStatus(ByteBuffer info) throws ModuleException {
        for (int i = 0; i < OLD_INFO_SIZE; i++) {
            info.put(i, (byte) 0);
        }
        FileAttributes backing = file.stat();
        info.putInt(0, number).putLong(8, backing.device()).putLong(16, backing.inode()).putLong(24, backing.rdev())
                .putInt(32, (int) offset).putInt(44, flags);
        info.put(48, name);
    }

    private void status(ByteBuffer info) throws ModuleException {
        for (int i = 0; i < INFO_SIZE; i++) {
            info.put(i, (byte) 0);
        }
        FileAttributes backing = file.stat();
        info.putLong(0, backing.device()).putLong(8, backing.inode()).putLong(16, backing.rdev()).putLong(24, offset)
                .putLong(32, sizeLimit).putInt(40, number).putInt(52, flags);
        info.put(56, name);
    }
}
