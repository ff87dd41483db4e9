package org.umview.umdev;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.umview.libc.Errno;
import org.umview.module.DirectoryEntry;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;

/**
 * What sysfs shows of a loop device of the view, at /sys/block/loopN and /sys/dev/block/7:N:
 * util-linux reads its state there first (losetup, mount -o loop, lsblk), the loop/ directory
 * only while the device has a file, as the kernel's.
 */
final class LoopSysfs implements FileSystem {
    private static final long SYSFS_DEVICE = 0x16;

    private final LoopDevice device;
    private final Map<String, Supplier<String>> files = new LinkedHashMap<>();
    private final long created = System.currentTimeMillis() / 1000;

    LoopSysfs(LoopDevice device) {
        this.device = device;
        files.put("/dev", () -> LoopDevice.MAJOR + ":" + device.number());
        files.put("/size", () -> Long.toString(device.size() / 512));
        files.put("/ro", () -> flag(LoopDevice.LO_FLAGS_READ_ONLY));
        files.put("/removable", () -> "0");
        files.put("/queue/logical_block_size", () -> "512");
        files.put("/queue/physical_block_size", () -> "512");
        files.put("/queue/rotational", () -> "0");
        files.put("/loop/backing_file", device::backingFile);
        files.put("/loop/offset", () -> Long.toString(device.offset()));
        files.put("/loop/sizelimit", () -> Long.toString(device.sizeLimit()));
        files.put("/loop/autoclear", () -> flag(LoopDevice.LO_FLAGS_AUTOCLEAR));
        files.put("/loop/partscan", () -> flag(LoopDevice.LO_FLAGS_PARTSCAN));
        files.put("/loop/dio", () -> flag(LoopDevice.LO_FLAGS_DIRECT_IO));
    }

    private String flag(int flag) {
        return (device.flags() & flag) != 0 ? "1" : "0";
    }

    /** Whether {@code path} is there now: loop/ and what is in it only while the device has a file. */
    private boolean present(String path) {
        return !(path.equals("/loop") || path.startsWith("/loop/")) || device.bound();
    }

    private boolean isDirectory(String path) {
        if (path.equals("/")) {
            return true;
        }
        for (String file : files.keySet()) {
            if (file.startsWith(path + "/")) {
                return true;
            }
        }
        return false;
    }

    private byte[] content(String path) {
        String value = files.get(path).get();
        return ((value == null ? "" : value) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        if (!present(path) || (!files.containsKey(path) && !isDirectory(path))) {
            throw new ModuleException(Errno.ENOENT);
        }
        long inode = 2 + new ArrayList<>(files.keySet()).indexOf(path);
        if (isDirectory(path)) {
            return new FileAttributes(SYSFS_DEVICE, path.equals("/") ? 1 : path.hashCode() & 0xffffff, FileAttributes.S_IFDIR | 0755,
                    2, 0, 0, 0, 0, 4096, 0, created, 0, created, 0, created, 0);
        }
        return new FileAttributes(SYSFS_DEVICE, inode, FileAttributes.S_IFREG | 0444, 1, 0, 0, 0, 4096, 4096, 0, created, 0,
                created, 0, created, 0);
    }

    @Override
    public void access(String path, int mode) throws ModuleException {
        FileAttributes attributes = stat(path, true);
        if ((mode & 2) != 0 && !attributes.isDirectory()) {
            throw new ModuleException(Errno.EACCES);
        }
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        FileAttributes attributes = stat(path, true);
        if (attributes.isDirectory()) {
            return OpenFile.directory(attributes, () -> listing(path));
        }
        if ((flags & 3) != 0) {
            throw new ModuleException(Errno.EACCES);
        }
        return new OpenFile() {
            @Override
            public int read(ByteBuffer into, long offset) {
                return OpenFile.readFrom(content(path), into, offset);
            }

            @Override
            public FileAttributes stat() {
                return attributes;
            }
        };
    }

    private List<DirectoryEntry> listing(String directory) {
        List<DirectoryEntry> entries = new ArrayList<>(List.of(new DirectoryEntry(".", 1, DirectoryEntry.DT_DIR),
                new DirectoryEntry("..", 1, DirectoryEntry.DT_DIR)));
        String prefix = directory.equals("/") ? "/" : directory + "/";
        List<String> seen = new ArrayList<>();
        for (String file : files.keySet()) {
            if (!file.startsWith(prefix) || !present(file)) {
                continue;
            }
            String rest = file.substring(prefix.length());
            String name = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            if (!seen.contains(name)) {
                seen.add(name);
                entries.add(new DirectoryEntry(name, 2 + seen.size(), rest.contains("/") ? DirectoryEntry.DT_DIR : DirectoryEntry.DT_REG));
            }
        }
        return entries;
    }
}
