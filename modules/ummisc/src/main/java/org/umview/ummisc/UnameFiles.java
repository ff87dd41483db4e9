package org.umview.ummisc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.ModuleException;
import org.umview.module.SystemNames;

/** The six uname fields, one file each; what uname(2) in the view answers. */
final class UnameFiles extends ValueFiles implements SystemNames {
    static final List<String> NAMES = List.of("sysname", "nodename", "release", "version", "machine", "domainname");
    private static final int MAX = 64;

    private final String[] values = new String[6];

    private UnameFiles(int uid, int gid) {
        super(NAMES, uid, gid, 0x7a);
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

    @Override
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

    @Override
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
}
