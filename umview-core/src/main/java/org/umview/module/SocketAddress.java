package org.umview.module;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An Internet socket address as a program gives it (sockaddr_in, sockaddr_in6): the family
 * the program used, the address and the port. An IPv4-mapped IPv6 address keeps family
 * {@link #AF_INET6} and is told by {@link #ipv4()}.
 */
public record SocketAddress(int family, InetAddress address, int port) {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    /** The family's wildcard address with port 0: what an unbound socket's name is. */
    public static SocketAddress any(int family) {
        try {
            return new SocketAddress(family, InetAddress.getByAddress(new byte[family == AF_INET6 ? 16 : 4]), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The family's loopback address (127.0.0.1, ::1) with {@code port}. */
    public static SocketAddress loopback(int family, int port) {
        byte[] ip = new byte[family == AF_INET6 ? 16 : 4];
        if (family == AF_INET6) {
            ip[15] = 1;
        } else {
            ip[0] = 127;
            ip[3] = 1;
        }
        try {
            return new SocketAddress(family, InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether it names IPv4 (an AF_INET address, or an IPv4-mapped one): Java maps ::ffff:a.b.c.d to Inet4Address. */
    public boolean ipv4() {
        return address instanceof java.net.Inet4Address;
    }

    public SocketAddress withPort(int newPort) {
        return new SocketAddress(family, address, newPort);
    }

    @Override
    public String toString() {
        return (family == AF_INET6 ? "[" + address.getHostAddress() + "]" : address.getHostAddress()) + ":" + port;
    }
}
