package org.umview.umbinfmt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.Interpreters;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;

/** The files of a binfmt_misc (register, status, one per entry) and the table exec asks. */
final class BinfmtFiles implements FileSystem, Interpreters {
    private static final long DEVICE = 0x7b;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final int uid;
    private final int gid;
    private volatile boolean enabled = true;

    BinfmtFiles(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    @Override
    public Interpreter interpreterFor(String path, byte[] head) {
        if (!enabled) {
            return null;
        }
        for (Entry entry : entries.values()) {
            if (entry.matches(path, head)) {
                return new Interpreter(entry.interpreter, entry.flags.contains("P"));
            }
        }
        return null;
    }

    private FileAttributes attributes(long inode, int mode, long size) {
        long now = System.currentTimeMillis() / 1000;
        return new FileAttributes(DEVICE, inode, mode, 1, uid, gid, 0, size, 4096, 0, now, 0, now, 0, now, 0);
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        return switch (path) {
            case "/" -> attributes(1, FileAttributes.S_IFDIR | 0755, 0);
            case "/register" -> attributes(2, FileAttributes.S_IFREG | 0200, 0);
            case "/status" -> attributes(3, FileAttributes.S_IFREG | 0644, 0);
            default -> {
                if (!entries.containsKey(path.substring(1))) {
                    throw new ModuleException(Errno.ENOENT);
                }
                yield attributes(4 + Math.abs(path.hashCode() % 100000), FileAttributes.S_IFREG | 0644, 0);
            }
        };
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        FileAttributes attributes = stat(path, true);
        if (path.equals("/")) {
            return OpenFile.directoryOf(attributes, () -> {
                List<String> names = new ArrayList<>(List.of("register", "status"));
                entries.keySet().stream().sorted().forEach(names::add);
                return names;
            });
        }
        String name = path.substring(1);
        return new OpenFile() {
            @Override
            public int read(ByteBuffer into, long offset) throws ModuleException {
                String text = switch (name) {
                    case "register" -> throw new ModuleException(Errno.EINVAL);
                    case "status" -> enabled ? "enabled\n" : "disabled\n";
                    default -> {
                        Entry entry = entries.get(name);
                        if (entry == null) {
                            throw new ModuleException(Errno.ENOENT);
                        }
                        yield entry.describe();
                    }
                };
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                return OpenFile.readFrom(bytes, into, offset);
            }

            @Override
            public int write(ByteBuffer from, long offset) throws ModuleException {
                int length = from.remaining();
                String text = StandardCharsets.UTF_8.decode(from).toString();
                if (name.equals("register")) {
                    Entry entry = Entry.parse(text);
                    if (entries.putIfAbsent(entry.name, entry) != null) {
                        throw new ModuleException(Errno.EEXIST);
                    }
                    return length;
                }
                String command = text.strip();
                if (name.equals("status")) {
                    switch (command) {
                        case "1" -> enabled = true;
                        case "0" -> enabled = false;
                        case "-1" -> entries.clear();
                        default -> throw new ModuleException(Errno.EINVAL);
                    }
                    return length;
                }
                Entry entry = entries.get(name);
                if (entry == null) {
                    throw new ModuleException(Errno.ENOENT);
                }
                switch (command) {
                    case "1" -> entry.enabled = true;
                    case "0" -> entry.enabled = false;
                    case "-1" -> entries.remove(name);
                    default -> throw new ModuleException(Errno.EINVAL);
                }
                return length;
            }

            @Override
            public FileAttributes stat() {
                return attributes;
            }

            @Override
            public void truncate(long length) {
                // echo > FILE truncates first, as on /proc
            }
        };
    }

    @Override
    public void truncate(String path, long length) throws ModuleException {
        stat(path, true);
    }
}
