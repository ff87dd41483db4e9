package org.umview.umnet;

import jnr.constants.platform.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.NetworkStack;

/** What a stack is in the file system: one node, /dev/net/NAME, that {@code mstack} names. */
abstract class StackNode implements FileSystem, NetworkStack {
    private static final int AF_UNIX = 1;
    private static final int AF_NETLINK = 16;
    private static final int AF_ALG = 38;
    /** Netlink that tells about the machine, not the network: audit, SELinux, device events. */
    private static final java.util.Set<Integer> HOST_NETLINK = java.util.Set.of(7, 9, 15);
    private final int uid;
    private final int gid;
    private final long created = System.currentTimeMillis() / 1000;

    StackNode(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    /** Every family that reaches a network: all but Unix sockets, the kernel's crypto and the netlink of the host's own. */
    @Override
    public boolean serves(int family, int protocol) {
        return family != AF_UNIX && family != AF_ALG && !(family == AF_NETLINK && HOST_NETLINK.contains(protocol));
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        if (!path.equals("/")) {
            throw new ModuleException(Errno.ENOTDIR.intValue());
        }
        return new FileAttributes(0, 1, FileAttributes.S_IFCHR | 0600, 1, uid, gid, 0, 0, 4096, 0, created, 0, created, 0,
                created, 0);
    }
}
