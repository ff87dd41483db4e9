package org.umview.module;

import java.util.List;

/**
 * An interface of a network stack as {@code ip link} and {@code ip addr} show it (rtnetlink's
 * RTM_NEWLINK and RTM_NEWADDR): {@code type} is an ARPHRD_* value, {@code flags} IFF_* bits.
 */
public record NetworkInterface(int index, String name, int type, int flags, int mtu, byte[] hardwareAddress,
        List<Address> addresses) {
    public static final int ARPHRD_ETHER = 1;
    public static final int ARPHRD_LOOPBACK = 772;
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;
    /** rtnetlink's scopes: the whole network, one link, this host. */
    public static final int SCOPE_UNIVERSE = 0;
    public static final int SCOPE_LINK = 253;
    public static final int SCOPE_HOST = 254;

    /** An address of the interface: {@code prefix} bits of network, rtnetlink {@code scope}. */
    public record Address(int family, java.net.InetAddress address, int prefix, int scope) {
    }
}
