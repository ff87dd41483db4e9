package org.umview.net;

import java.util.HashMap;
import java.util.Map;
import org.umview.module.NetworkStack;
import org.umview.module.SocketAddress;
import org.umview.view.Mount;

/**
 * A socket of a virtual stack, as the program made it: family, type and protocol, its own and
 * its peer's Internet address, and the options of the IP and TCP levels (a Unix socket has
 * none; they are kept so that what was set reads back). Shared by every descriptor of the
 * kernel socket behind it, in every process.
 */
public final class VirtualSocket {
    private final Mount mount;
    private final int family;
    private final int type;
    private final int protocol;
    private SocketAddress local;
    private SocketAddress peer;
    private final Map<Long, byte[]> options = new HashMap<>();
    private final int netlinkPort;

    public VirtualSocket(Mount mount, int family, int type, int protocol) {
        this.mount = mount;
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        this.netlinkPort = family == SocketAddresses.AF_NETLINK ? RouteNetlink.nextPort() : 0;
    }

    /** Whether it is an rtnetlink socket (answered by {@link RouteNetlink}) rather than an Internet one. */
    public boolean netlink() {
        return family == SocketAddresses.AF_NETLINK;
    }

    /** Its netlink port id (nl_pid): what getsockname tells and the replies it gets carry. */
    public int netlinkPort() {
        return netlinkPort;
    }

    public NetworkStack stack() {
        return (NetworkStack) mount.fileSystem();
    }

    public Mount mount() {
        return mount;
    }

    public int family() {
        return family;
    }

    public int type() {
        return type;
    }

    public int protocol() {
        return protocol;
    }

    public boolean stream() {
        return type == NetworkStack.SOCK_STREAM;
    }

    /** Its address, or null while unbound. */
    public synchronized SocketAddress local() {
        return local;
    }

    public synchronized void bound(SocketAddress address) {
        local = address;
    }

    public synchronized SocketAddress peer() {
        return peer;
    }

    public synchronized void connected(SocketAddress address) {
        peer = address;
    }

    /** A socket accept made from this listening one: its address is the listener's, on the address the peer reached. */
    public synchronized VirtualSocket accepted(SocketAddress from) {
        VirtualSocket connection = new VirtualSocket(mount, family, type, protocol);
        SocketAddress own = local;
        if (own != null && own.address().isAnyLocalAddress()) {
            own = SocketAddress.loopback(family, own.port());
        }
        connection.local = own;
        connection.peer = from;
        return connection;
    }

    public synchronized byte[] option(int level, int name) {
        return options.get(key(level, name));
    }

    public synchronized void setOption(int level, int name, byte[] value) {
        options.put(key(level, name), value);
    }

    private static long key(int level, int name) {
        return ((long) level << 32) | (name & 0xffffffffL);
    }
}
