package org.umview.ummisc;

import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.Identity;
import org.umview.module.ModuleException;

/** The view's user and group ids as files uid and gid (root unless said otherwise). */
final class IdentityFiles extends ValueFiles implements Identity {
    static final List<String> NAMES = List.of("uid", "gid");

    private volatile int uid;
    private volatile int gid;

    IdentityFiles(int ownerUid, int ownerGid) {
        super(NAMES, ownerUid, ownerGid, 0x7c);
    }

    @Override
    void set(String name, String value) throws ModuleException {
        int id;
        try {
            id = value.isEmpty() ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ModuleException(Errno.EINVAL, name + "=" + value + " is not a number");
        }
        if (id < 0) {
            throw new ModuleException(Errno.EINVAL);
        }
        switch (name) {
            case "uid" -> uid = id;
            case "gid" -> gid = id;
            default -> throw new ModuleException(Errno.EINVAL, "ummiscuid options are uid= and gid=");
        }
    }

    @Override
    String get(int index) {
        return Integer.toString(index == 0 ? uid : gid);
    }

    @Override
    public int uid() {
        return uid;
    }

    @Override
    public int gid() {
        return gid;
    }
}
