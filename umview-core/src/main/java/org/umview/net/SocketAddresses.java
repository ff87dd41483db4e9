package org.umview.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.umview.module.SocketAddress;

/** The kernel's socket address structures: sockaddr_in, sockaddr_in6 and an abstract sockaddr_un. */
public final class SocketAddresses {
    public static final int AF_UNIX = 1;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;
    private static final int SUN_PATH = 2;

    private SocketAddresses() {
    }

    /** The Internet address in {@code raw} (what a program passed), or null if it is not one of family {@code family}'s. */
    public static SocketAddress decode(byte[] raw, int family) {
        if (raw.length < 2) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int given = Short.toUnsignedInt(in.getShort(0));
        int port = Short.toUnsignedInt(in.order(ByteOrder.BIG_ENDIAN).getShort(2));
        try {
            if (given == SocketAddress.AF_INET && family == SocketAddress.AF_INET && raw.length >= SOCKADDR_IN) {
                return new SocketAddress(given, InetAddress.getByAddress(java.util.Arrays.copyOfRange(raw, 4, 8)), port);
            }
            if (given == SocketAddress.AF_INET6 && family == SocketAddress.AF_INET6 && raw.length >= SOCKADDR_IN6) {
                byte[] ip = java.util.Arrays.copyOfRange(raw, 8, 24);
                int scope = in.order(ByteOrder.LITTLE_ENDIAN).getInt(24); // which link a link-local address is on
                return new SocketAddress(given, scope != 0 && (ip[0] & 0xff) == 0xfe && (ip[1] & 0xc0) == 0x80
                        ? java.net.Inet6Address.getByAddress(null, ip, scope) : InetAddress.getByAddress(ip), port);
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    /** The structure for {@code address}, in its family's layout. */
    public static byte[] encode(SocketAddress address) {
        boolean six = address.family() == SocketAddress.AF_INET6;
        ByteBuffer out = ByteBuffer.allocate(six ? SOCKADDR_IN6 : SOCKADDR_IN).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) address.family());
        out.order(ByteOrder.BIG_ENDIAN).putShort((short) address.port());
        byte[] ip = address.address().getAddress();
        if (six) {
            out.putInt(0);
            if (ip.length == 4) { // IPv4-mapped
                out.put(new byte[10]).putShort((short) 0xffff);
            }
        }
        out.put(ip);
        if (six && address.address() instanceof java.net.Inet6Address scoped) {
            out.order(ByteOrder.LITTLE_ENDIAN).putInt(scoped.getScopeId());
        }
        return out.array();
    }

    /** A sockaddr_un with the abstract name {@code name} (a leading NUL, then the bytes). */
    public static byte[] abstractUnix(byte[] name) {
        byte[] raw = new byte[SUN_PATH + 1 + name.length];
        raw[0] = AF_UNIX;
        System.arraycopy(name, 0, raw, SUN_PATH + 1, name.length);
        return raw;
    }

    /** The abstract name in a sockaddr_un of {@code length} bytes, or null (unnamed, a path, another family). */
    public static byte[] abstractName(byte[] raw, int length) {
        if (length <= SUN_PATH + 1 || raw.length < length || raw[0] != AF_UNIX || raw[1] != 0 || raw[SUN_PATH] != 0) {
            return null;
        }
        return java.util.Arrays.copyOfRange(raw, SUN_PATH + 1, length);
    }
}
