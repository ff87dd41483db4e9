package org.umview.ummisc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.DirectoryEntry;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;
import org.umview.module.SystemNames;

/** The six uname fields, one file each; what uname(2) in the view answers. */
final class UnameFiles implements FileSystem, SystemNames {
    static final List<String> NAMES = List.of("sysname", "nodename", "release", "version", "machine", "domainname");
    private static final int MAX = 64;
    private static final long DEVICE = 0x7a;
    private static final int O_TRUNC = 01000;

    private final String[] values = new String[6];
    private final int uid;
    private final int gid;
    private final long created = System.currentTimeMillis() / 1000;

    private UnameFiles(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    /** Starts from the host's names. */
    static UnameFiles ofHost(int uid, int gid) {
        UnameFiles files = new UnameFiles(uid, gid);
        String[] sources = {"ostype", "hostname", "osrelease", "version", "arch", "domainname"};
        for (int i = 0; i < 6; i++) {
            files.values[i] = kernel(sources[i]);
        }
        if (files.values[4].isEmpty()) {
            String arch = System.getProperty("os.arch");
            files.values[4] = arch.equals("amd64") ? "x86_64" : arch;
        }
        return files;
    }

    private static String kernel(String name) {
        try {
            return Files.readString(Path.of("/proc/sys/kernel", name)).strip();
        } catch (IOException e) {
            return "";
        }
    }

    synchronized void set(String name, String value) throws ModuleException {
        int index = NAMES.indexOf(name);
        if (index < 0) {
            throw new ModuleException(Errno.EINVAL, "no uname field " + name + " (" + String.join(" ", NAMES) + ")");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX) {
            throw new ModuleException(Errno.EINVAL, name + " longer than " + MAX + " bytes");
        }
        values[index] = value;
    }

    synchronized String get(int index) {
        return values[index];
    }

    @Override
    public synchronized String[] uname() {
        return values.clone();
    }

    @Override
    public void setNodename(String name) throws ModuleException {
        set("nodename", name);
    }

    @Override
    public void setDomainname(String name) throws ModuleException {
        set("domainname", name);
    }

    private int index(String path) throws ModuleException {
        int index = NAMES.indexOf(path.substring(1));
        if (index < 0) {
            throw new ModuleException(Errno.ENOENT);
        }
        return index;
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        if (path.equals("/")) {
            return new FileAttributes(DEVICE, 1, FileAttributes.S_IFDIR | 0755, 2, uid, gid, 0, 0, 4096, 0, created, 0,
                    created, 0, created, 0);
        }
        int index = index(path);
        return new FileAttributes(DEVICE, 2 + index, FileAttributes.S_IFREG | 0644, 1, uid, gid, 0,
                get(index).getBytes(StandardCharsets.UTF_8).length + 1, 4096, 1, created, 0, created, 0, created, 0);
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        FileAttributes attributes = stat(path, true);
        if (attributes.isDirectory()) {
            return new OpenFile() {
                @Override
                public FileAttributes stat() {
                    return attributes;
                }

                @Override
                public List<DirectoryEntry> list() {
                    List<DirectoryEntry> entries = new ArrayList<>(List.of(new DirectoryEntry(".", 1, DirectoryEntry.DT_DIR),
                            new DirectoryEntry("..", 1, DirectoryEntry.DT_DIR)));
                    for (int i = 0; i < NAMES.size(); i++) {
                        entries.add(new DirectoryEntry(NAMES.get(i), 2 + i, DirectoryEntry.DT_REG));
                    }
                    return entries;
                }
            };
        }
        int index = index(path);
        if ((flags & O_TRUNC) != 0) {
            set(NAMES.get(index), "");
        }
        return new NameFile(index);
    }

    @Override
    public void truncate(String path, long length) throws ModuleException {
        int index = index(path);
        byte[] value = get(index).getBytes(StandardCharsets.UTF_8);
        set(NAMES.get(index), new String(value, 0, (int) Math.min(length, value.length), StandardCharsets.UTF_8));
    }

    /** One name as a file: its value and a newline; what is written becomes the value. */
    private final class NameFile implements OpenFile {
        private final int index;

        NameFile(int index) {
            this.index = index;
        }

        @Override
        public int read(ByteBuffer into, long offset) {
            byte[] text = (get(index) + "\n").getBytes(StandardCharsets.UTF_8);
            if (offset >= text.length) {
                return 0;
            }
            int n = (int) Math.min(into.remaining(), text.length - offset);
            into.put(text, (int) offset, n);
            return n;
        }

        @Override
        public int write(ByteBuffer from, long offset) throws ModuleException {
            int length = from.remaining();
            byte[] old = get(index).getBytes(StandardCharsets.UTF_8);
            byte[] data = new byte[length];
            from.get(data);
            byte[] value = java.util.Arrays.copyOf(old, (int) Math.max(old.length, offset + length));
            System.arraycopy(data, 0, value, (int) offset, length);
            set(NAMES.get(index), new String(value, StandardCharsets.UTF_8).replaceAll("\n+$", ""));
            return length;
        }

        @Override
        public void truncate(long length) throws ModuleException {
            UnameFiles.this.truncate("/" + NAMES.get(index), length);
        }

        @Override
        public FileAttributes stat() throws ModuleException {
            return UnameFiles.this.stat("/" + NAMES.get(index), true);
        }
    }
}
