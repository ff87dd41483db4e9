package org.umview.umnet;

import jnr.constants.platform.Errno;
import org.umview.module.ModuleException;
import org.umview.module.SocketAddress;

/** umnetcurrent: the host's stack. Its sockets are the kernel's own; none of its calls comes here. */
final class HostStack extends StackNode {
    HostStack(int uid, int gid) {
        super(uid, gid);
    }

    @Override
    public boolean host() {
        return true;
    }

    @Override
    public void socket(int family, int type, int protocol) throws ModuleException {
        throw new ModuleException(Errno.EOPNOTSUPP.intValue(), "the host's sockets are the kernel's");
    }

    @Override
    public byte[] bind(int type, SocketAddress address) throws ModuleException {
        throw new ModuleException(Errno.EOPNOTSUPP.intValue(), "the host's sockets are the kernel's");
    }

    @Override
    public byte[] route(int type, SocketAddress address) throws ModuleException {
        throw new ModuleException(Errno.EOPNOTSUPP.intValue(), "the host's sockets are the kernel's");
    }

    @Override
    public SocketAddress address(int family, byte[] name) {
        return null;
    }
}
