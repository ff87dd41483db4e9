package org.umview.umdev;

import java.nio.ByteBuffer;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;

/**
 * A device mounted on a file: stat shows it as a character or block device, and the block
 * ioctls that tools ask (BLKGETSIZE64, BLKSSZGET, ...) are answered.
 */
final class Device implements FileSystem {
    private static final long BLKROGET = 0x125e;
    private static final long BLKRRPART = 0x125f;
    private static final long BLKGETSIZE = 0x1260;
    private static final long BLKFLSBUF = 0x1261;
    private static final long BLKSSZGET = 0x1268;
    private static final long BLKIOMIN = 0x1278;
    private static final long BLKIOOPT = 0x1279;
    private static final long BLKALIGNOFF = 0x127a;
    private static final long BLKPBSZGET = 0x127b;
    private static final long BLKDISCARDZEROES = 0x127c;
    private static final long BLKGETSIZE64 = 0x80081272L;
    private static final long BLKDISCARD = 0x1277;
    private static final long HDIO_GETGEO = 0x0301;
    private static final int HEADS = 255;
    private static final int SECTORS_PER_TRACK = 63;
    private static final int SECTOR = 512;

    private final FileAttributes attributes;
    private final Storage storage;

    private final java.util.Map<String, FileSystem> alongside;

    Device(FileAttributes attributes, Storage storage) {
        this(attributes, storage, java.util.Map.of());
    }

    /** A device with others mounted along with it (a disk's partitions). */
    Device(FileAttributes attributes, Storage storage, java.util.Map<String, FileSystem> alongside) {
        this.attributes = attributes;
        this.storage = storage;
        this.alongside = java.util.Map.copyOf(alongside);
    }

    @Override
    public java.util.Map<String, FileSystem> alongside() {
        return alongside;
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        if (!path.equals("/")) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        if (!storage.present()) {
            throw new ModuleException(Errno.ENOENT);
        }
        return attributes;
    }

    @Override
    public void access(String path, int mode) throws ModuleException {
        stat(path, true);
    }

    @Override
    public boolean mayWaitOnTracees() {
        return storage.mayWaitOnTracees();
    }

    @Override
    public org.umview.module.BlockDevice blockDevice() {
        return storage instanceof org.umview.module.BlockDevice device ? device : null;
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        stat(path, true);
        if ((flags & 3) != 0 && storage.readOnly()) {
            throw new ModuleException(Errno.EACCES);
        }
        storage.opened();
        return new OpenFile() {
            @Override
            public void close() {
                storage.closed();
            }

            @Override
            public int read(ByteBuffer into, long offset) throws ModuleException {
                try {
                    return storage.read(into, offset);
                } catch (java.io.UncheckedIOException e) {
                    throw new ModuleException(Errno.EIO, e.getMessage());
                }
            }

            @Override
            public int write(ByteBuffer from, long offset) throws ModuleException {
                if (from.hasRemaining() && offset >= storage.size() && storage.size() > 0) {
                    throw new ModuleException(Errno.ENOSPC);
                }
                try {
                    return storage.write(from, offset);
                } catch (java.io.UncheckedIOException e) {
                    throw new ModuleException(Errno.EIO, e.getMessage());
                }
            }

            @Override
            public void sync() throws ModuleException {
                try {
                    storage.sync();
                } catch (java.io.UncheckedIOException e) {
                    throw new ModuleException(Errno.EIO, e.getMessage());
                }
            }

            @Override
            public FileAttributes stat() {
                return attributes;
            }

            @Override
            public int ioctlArgumentSize(long request) {
                int own = storage.ioctlArgumentSize(request);
                if (own >= 0) {
                    return own;
                }
                if (!isBlock()) {
                    return -1;
                }
                if (request == BLKGETSIZE64 || request == BLKGETSIZE) {
                    return 8;
                }
                if (request == HDIO_GETGEO) {
                    return 16; // struct hd_geometry
                }
                if (request == BLKDISCARD) {
                    return 16;
                }
                if (request == BLKROGET || request == BLKSSZGET || request == BLKPBSZGET || request == BLKIOMIN
                        || request == BLKIOOPT || request == BLKALIGNOFF || request == BLKDISCARDZEROES) {
                    return 4;
                }
                return request == BLKFLSBUF || request == BLKRRPART ? 0 : -1;
            }

            @Override
            public long ioctl(long request, long value, ByteBuffer argument, org.umview.module.CallerDescriptors caller)
                    throws ModuleException {
                return storage.ioctlArgumentSize(request) >= 0 ? storage.ioctl(request, value, argument, caller)
                        : ioctl(request, argument);
            }

            @Override
            public long ioctl(long request, ByteBuffer argument) {
                if (request == BLKGETSIZE64) {
                    argument.putLong(0, storage.size());
                } else if (request == BLKGETSIZE) {
                    argument.putLong(0, storage.size() / SECTOR);
                } else if (request == BLKSSZGET || request == BLKPBSZGET || request == BLKIOMIN) {
                    argument.putInt(0, SECTOR);
                } else if (request == BLKROGET || request == BLKIOOPT || request == BLKALIGNOFF || request == BLKDISCARDZEROES) {
                    argument.putInt(0, 0);
                } else if (request == HDIO_GETGEO) {
                    argument.put(0, (byte) HEADS).put(1, (byte) SECTORS_PER_TRACK)
                            .putShort(2, (short) Math.min(0xffff, storage.size() / SECTOR / (HEADS * SECTORS_PER_TRACK)))
                            .putLong(8, storage.start() / SECTOR);
                } else if (request == BLKRRPART) {
                    storage.reread();
                }
                return 0; // BLKFLSBUF, BLKDISCARD: nothing to do
            }
        };
    }

    @Override
    public void unmount() {
        storage.close();
    }

    private boolean isBlock() {
        return (attributes.mode() & FileAttributes.S_IFMT) == 0060000;
    }
}
