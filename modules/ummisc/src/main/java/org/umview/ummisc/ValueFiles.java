package org.umview.ummisc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;

/** Named values as files of a directory: a value and a newline to read; what is written becomes the value. */
abstract class ValueFiles implements FileSystem {
    private static final int O_TRUNC = 01000;

    private final List<String> names;
    private final int uid;
    private final int gid;
    private final long device;
    private final long created = System.currentTimeMillis() / 1000;

    ValueFiles(List<String> names, int uid, int gid, long device) {
        this.names = names;
        this.uid = uid;
        this.gid = gid;
        this.device = device;
    }

    abstract String get(int index);

    /** Sets value {@code name}; refuses what it cannot be. */
    abstract void set(String name, String value) throws ModuleException;

    private int index(String path) throws ModuleException {
        int index = names.indexOf(path.substring(1));
        if (index < 0) {
            throw new ModuleException(Errno.ENOENT);
        }
        return index;
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        if (path.equals("/")) {
            return new FileAttributes(device, 1, FileAttributes.S_IFDIR | 0755, 2, uid, gid, 0, 0, 4096, 0, created, 0,
                    created, 0, created, 0);
        }
        int index = index(path);
        return new FileAttributes(device, 2 + index, FileAttributes.S_IFREG | 0644, 1, uid, gid, 0,
                get(index).getBytes(StandardCharsets.UTF_8).length + 1, 4096, 1, created, 0, created, 0, created, 0);
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        FileAttributes attributes = stat(path, true);
        if (attributes.isDirectory()) {
            return OpenFile.directoryOf(attributes, () -> names);
        }
        int index = index(path);
        if ((flags & O_TRUNC) != 0) {
            set(names.get(index), "");
        }
        return new ValueFile(index);
    }

    @Override
    public void truncate(String path, long length) throws ModuleException {
        int index = index(path);
        byte[] value = get(index).getBytes(StandardCharsets.UTF_8);
        set(names.get(index), new String(value, 0, (int) Math.min(length, value.length), StandardCharsets.UTF_8));
    }

    /** One value as a file. */
    private final class ValueFile implements OpenFile {
        private final int index;

        ValueFile(int index) {
            this.index = index;
        }

        @Override
        public int read(ByteBuffer into, long offset) {
            byte[] text = (get(index) + "\n").getBytes(StandardCharsets.UTF_8);
            return OpenFile.readFrom(text, into, offset);
        }

        @Override
        public int write(ByteBuffer from, long offset) throws ModuleException {
            int length = from.remaining();
            byte[] old = get(index).getBytes(StandardCharsets.UTF_8);
            byte[] data = new byte[length];
            from.get(data);
            byte[] value = java.util.Arrays.copyOf(old, (int) Math.max(old.length, offset + length));
            System.arraycopy(data, 0, value, (int) offset, length);
            set(names.get(index), new String(value, StandardCharsets.UTF_8).replaceAll("\n+$", ""));
            return length;
        }

        @Override
        public void truncate(long length) throws ModuleException {
            ValueFiles.this.truncate("/" + names.get(index), length);
        }

        @Override
        public FileAttributes stat() throws ModuleException {
            return ValueFiles.this.stat("/" + names.get(index), true);
        }
    }
}
