package org.umview.umnet;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.constants.platform.Errno;
import org.umview.module.ModuleException;
import org.umview.module.NetworkInterface;
import org.umview.module.SocketAddress;

/**
 * umnetnull: a stack with a loopback and no interface. TCP and UDP over IPv4 and IPv6 work
 * between the processes that use it (127.0.0.0/8 and ::1); anything else is unreachable, and
 * every other family is refused. A port is an abstract Unix name of this stack's: the
 * supervisor's pid and the stack's number keep two stacks (and two umviews) apart.
 */
final class LoopbackStack extends StackNode {
    private static final int AF_INET = SocketAddress.AF_INET;
    private static final int AF_INET6 = SocketAddress.AF_INET6;
    private static final int AF_NETLINK = 16;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int FIRST_EPHEMERAL = 32768;
    private static final int LAST_EPHEMERAL = 60999;
    private static final byte TAG = 'u';
    private static final int NAME_LENGTH = 13;
    private static final AtomicInteger STACKS = new AtomicInteger();

    private final int supervisor = (int) ProcessHandle.current().pid();
    private final int number = STACKS.incrementAndGet();

    LoopbackStack(int uid, int gid) {
        super(uid, gid);
    }

    @Override
    public void socket(int family, int type, int protocol) throws ModuleException {
        if (family == AF_NETLINK && protocol == NETLINK_ROUTE) {
            return; // the core answers rtnetlink from interfaces()
        }
        if (family != AF_INET && family != AF_INET6) {
            throw new ModuleException(Errno.EAFNOSUPPORT.intValue(), "umnetnull has no sockets of family " + family);
        }
        if (type == SOCK_RAW) {
            throw new ModuleException(Errno.EPERM.intValue());
        }
        if (type == SOCK_DGRAM && (protocol == IPPROTO_ICMP || protocol == IPPROTO_ICMPV6)) {
            throw new ModuleException(Errno.EACCES.intValue()); // ping sockets, as where ping_group_range excludes the user
        }
        boolean tcp = type == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP);
        boolean udp = type == SOCK_DGRAM && (protocol == 0 || protocol == IPPROTO_UDP);
        if (!tcp && !udp) {
            throw new ModuleException(Errno.EPROTONOSUPPORT.intValue());
        }
    }

    @Override
    public byte[] bind(int type, SocketAddress address) throws ModuleException {
        if (!local(address)) {
            throw new ModuleException(Errno.EADDRNOTAVAIL.intValue());
        }
        int port = address.port() != 0 ? address.port()
                : ThreadLocalRandom.current().nextInt(FIRST_EPHEMERAL, LAST_EPHEMERAL + 1);
        return name(address.ipv4(), type, port);
    }

    @Override
    public byte[] route(int type, SocketAddress address) throws ModuleException {
        if (!local(address)) {
            throw new ModuleException(Errno.ENETUNREACH.intValue());
        }
        if (address.port() == 0) {
            throw new ModuleException(Errno.ECONNREFUSED.intValue());
        }
        return name(address.ipv4(), type, address.port());
    }

    @Override
    public java.util.List<NetworkInterface> interfaces() {
        return java.util.List.of(new NetworkInterface(1, "lo", NetworkInterface.ARPHRD_LOOPBACK, NetworkInterface.IFF_UP
                | NetworkInterface.IFF_LOOPBACK | NetworkInterface.IFF_RUNNING | NetworkInterface.IFF_LOWER_UP, 65536, new byte[6],
                java.util.List.of(new NetworkInterface.Address(AF_INET, SocketAddress.loopback(AF_INET, 0).address(), 8,
                        NetworkInterface.SCOPE_HOST), new NetworkInterface.Address(AF_INET6,
                        SocketAddress.loopback(AF_INET6, 0).address(), 128, NetworkInterface.SCOPE_HOST))));
    }

    /** An IPv6 socket bound to :: or ::1 with the port: IPv4 reaches it as ::ffff:127.0.0.1. */
    @Override
    public byte[] dualStack(int type, SocketAddress address) {
        return name(false, type, address.port());
    }

    @Override
    public SocketAddress address(int family, byte[] name) {
        if (name.length != NAME_LENGTH) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(name);
        if (in.get() != TAG || in.getInt() != supervisor || in.getInt() != number) {
            return null;
        }
        boolean ipv4 = in.get() == 4;
        in.get();
        int port = Short.toUnsignedInt(in.getShort());
        if (family == AF_INET6 && ipv4) {
            return new SocketAddress(AF_INET6, SocketAddress.loopback(AF_INET, port).address(), port); // ::ffff:127.0.0.1
        }
        return SocketAddress.loopback(family, port);
    }

    /** Whether the address is this stack's: a loopback one or the wildcard. */
    private static boolean local(SocketAddress address) {
        return address.address().isLoopbackAddress() || address.address().isAnyLocalAddress();
    }

    private byte[] name(boolean ipv4, int type, int port) {
        return ByteBuffer.allocate(NAME_LENGTH).put(TAG).putInt(supervisor).putInt(number).put((byte) (ipv4 ? 4 : 6))
                .put((byte) type).putShort((short) port).array();
    }
}
