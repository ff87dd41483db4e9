package org.umview.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.libc.Native;
import org.umview.libc.ProcessControl;
import org.umview.module.NetworkInterface;
import org.umview.module.NetworkRoute;
import org.umview.module.NetworkStack;

/**
 * rtnetlink for a virtual stack: what {@code ip link}, {@code ip addr} and getifaddrs(3) ask
 * (dumps of links, addresses and routes, a link by index or name), answered from the stack's
 * {@link NetworkStack#interfaces()}; requests that change the stack (ip addr add, ip link
 * set up) are the stack's to make, and most refuse them with EPERM, as the kernel refuses an
 * ordinary user's. A program's netlink socket is a Unix datagram socket, named with the port id the
 * program is told and connected to this responder, whose own thread answers each request as
 * the kernel would; it never waits on a program (a reply that does not fit is dropped).
 */
public final class RouteNetlink {
    private static final Logger LOG = LoggerFactory.getLogger(RouteNetlink.class);
    private static final long SENDTO = 44;
    private static final long RECVFROM = 45;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int BUFFER = 65536;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLM_F_MULTI = 0x2;
    private static final int NLM_F_DUMP = 0x300;
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_DELADDR = 21;
    private static final int RTM_SETLINK = 19;
    private static final int IFF_UP = 0x1;
    private static final int RTM_GETADDR = 22;
    private static final int RTM_NEWROUTE = 24;
    private static final int RTM_DELROUTE = 25;
    private static final int RTM_GETROUTE = 26;
    private static final int RTM_GETNEIGH = 30;
    private static final int RTM_GETRULE = 34;
    private static final int IFLA_ADDRESS = 1;
    private static final int IFLA_BROADCAST = 2;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFLA_QDISC = 6;
    private static final int IFLA_TXQLEN = 13;
    private static final int IFLA_OPERSTATE = 16;
    private static final int IFLA_LINKMODE = 17;
    private static final int IFLA_GROUP = 27;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IFA_LABEL = 3;
    private static final int IFA_CACHEINFO = 6;
    private static final int IFA_FLAGS = 8;
    private static final int IFA_F_PERMANENT = 0x80;
    private static final int RTA_DST = 1;
    private static final int RTA_OIF = 4;
    private static final int RTA_GATEWAY = 5;
    private static final int RTA_PREFSRC = 7;
    private static final int RTA_TABLE = 15;
    private static final int RT_TABLE_MAIN = 254;
    private static final int RTN_UNICAST = 1;
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET6 = 10;
    private static final byte TAG = 'n';
    private static final AtomicInteger RESPONDERS = new AtomicInteger();
    private static final AtomicInteger PORTS = new AtomicInteger(0x10000);

    private final NetworkStack stack;
    private static final int SUPERVISOR = (int) ProcessHandle.current().pid();
    private final int number;
    private final int fd;

    private RouteNetlink(NetworkStack stack, int number, int fd) {
        this.stack = stack;
        this.number = number;
        this.fd = fd;
    }

    /** A responder for {@code stack}, its thread started; null if its socket cannot be made. */
    public static RouteNetlink start(NetworkStack stack) {
        int number = RESPONDERS.incrementAndGet();
        int fd = KernelSockets.own(SOCK_DGRAM, SocketAddresses.abstractUnix(name(number, 0)));
        if (fd < 0) {
            return null;
        }
        RouteNetlink responder = new RouteNetlink(stack, number, fd);
        Thread thread = new Thread(responder::serve, "umview-rtnetlink-" + responder.number);
        thread.setDaemon(true);
        thread.start();
        return responder;
    }

    /** A netlink port id for a new socket: what getsockname tells and replies carry. */
    public static int nextPort() {
        return PORTS.incrementAndGet();
    }

    /**
     * Makes descriptor {@code fd} of process {@code tgid} (a Unix datagram socket) the netlink
     * socket of port {@code port}: named so that replies find it, connected to this responder.
     * 0 or -errno.
     */
    public int attach(int tgid, long socket, int port) {
        int bound = KernelSockets.bind(tgid, socket, SocketAddresses.abstractUnix(name(number, port)));
        return bound < 0 ? bound : KernelSockets.connect(tgid, socket, SocketAddresses.abstractUnix(name(number, 0)));
    }

    /** The Unix name of port {@code port} of responder {@code number} (port 0: the responder itself). */
    private static byte[] name(int number, int port) {
        return ByteBuffer.allocate(13).put(TAG).putInt(SUPERVISOR).putInt(number).putInt(port).array();
    }

    private void serve() {
        ProcessControl pc = Native.processControl();
        Pointer buffer = Native.allocate(BUFFER);
        Pointer from = Native.allocate(128 + 4);
        Pointer out = Native.allocate(BUFFER);
        while (true) {
            from.putInt(128, 128);
            long length = pc.syscall(RECVFROM, fd, buffer.address(), BUFFER, 0, from.address(), from.address() + 128);
            if (length < 0) {
                if (Native.errno() == Errno.EINTR) {
                    continue;
                }
                LOG.warn("rtnetlink responder {} stops: errno {}", number, Native.errno());
                return;
            }
            int fromLength = Math.min(from.getInt(128), 128);
            byte[] request = new byte[(int) length];
            buffer.get(0, request, 0, request.length);
            byte[] sender = new byte[fromLength];
            from.get(0, sender, 0, fromLength);
            byte[] name = SocketAddresses.abstractName(sender, fromLength);
            if (name == null || name.length != 13) {
                continue; // unnamed: not one of ours, nowhere to answer
            }
            int port = ByteBuffer.wrap(name).getInt(9);
            try {
                for (byte[] reply : answer(request, port)) {
                    out.put(0, reply, 0, reply.length);
                    pc.syscall(SENDTO, fd, out.address(), reply.length, MSG_DONTWAIT, from.address(), fromLength);
                }
            } catch (RuntimeException e) {
                LOG.warn("rtnetlink request of port {} not answered: {}", port, e.toString());
            }
        }
    }

    /** The datagrams that answer the messages of {@code request}, each as the kernel sends it. */
    List<byte[]> answer(byte[] request, int port) {
        List<byte[]> replies = new java.util.ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at + 16 <= request.length) {
            int length = in.getInt(at);
            if (length < 16 || at + length > request.length) {
                break;
            }
            int type = Short.toUnsignedInt(in.getShort(at + 4));
            int flags = Short.toUnsignedInt(in.getShort(at + 6));
            int sequence = in.getInt(at + 8);
            byte[] message = java.util.Arrays.copyOfRange(request, at, at + length);
            replies.add(reply(type, flags, sequence, port, message));
            at += align(length);
        }
        return replies;
    }

    private byte[] reply(int type, int flags, int sequence, int port, byte[] message) {
        Messages out = new Messages(sequence, port);
        boolean dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
        List<NetworkInterface> interfaces = stack.interfaces();
        switch (type) {
            case RTM_GETLINK -> {
                if (dump) {
                    interfaces.forEach(link -> out.link(link, NLM_F_MULTI));
                    out.done();
                } else {
                    NetworkInterface link = wantedLink(message, interfaces);
                    if (link == null) {
                        out.error(Errno.ENODEV, message);
                    } else {
                        out.link(link, 0);
                    }
                }
            }
            case RTM_GETADDR -> {
                int family = message.length > 16 ? Byte.toUnsignedInt(message[16]) : AF_UNSPEC;
                for (NetworkInterface link : interfaces) {
                    for (NetworkInterface.Address address : link.addresses()) {
                        if (family == AF_UNSPEC || family == address.family()) {
                            out.address(link, address);
                        }
                    }
                }
                out.done();
            }
            case RTM_GETROUTE -> {
                if (dump) { // a loopback's routes are all in the local table, which no dump of main shows
                    int family = message.length > 16 ? Byte.toUnsignedInt(message[16]) : AF_UNSPEC;
                    stack.routes().stream().filter(route -> family == AF_UNSPEC || family == route.family()).forEach(out::route);
                    out.done();
                } else {
                    out.error(Errno.ENETUNREACH, message);
                }
            }
            case RTM_GETNEIGH, RTM_GETRULE -> {
                if (dump) {
                    out.done();
                } else {
                    out.error(Errno.ENETUNREACH, message);
                }
            }
            case RTM_NEWADDR, RTM_DELADDR, RTM_NEWLINK, RTM_SETLINK -> out.error(change(type, message), message); // 0: the ack
            case RTM_NEWROUTE, RTM_DELROUTE -> out.error(changeRoute(type, message), message);
            default -> out.error(Errno.EPERM, message);
        }
        return out.bytes();
    }

    /**
     * A change the stack is asked (ip addr add/del, ip link set up/down): 0 when made, else the
     * errno; a link change that does not touch IFF_UP is refused (EOPNOTSUPP), and one of no link is ENODEV.
     */
    private int change(int type, byte[] message) {
        if (message.length < 24) {
            return Errno.EINVAL;
        }
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder());
        try {
            if (type == RTM_NEWLINK || type == RTM_SETLINK) {
                // ip probes with an RTM_NEWLINK of no link: ENODEV, as the kernel's answer, tells it netlink will do.
                if (message.length < 32 || in.getInt(20) == 0) {
                    return Errno.ENODEV;
                }
                if ((in.getInt(28) & IFF_UP) == 0) {
                    return Errno.EOPNOTSUPP;
                }
                stack.setUp(in.getInt(20), (in.getInt(24) & IFF_UP) != 0);
                return 0;
            }
            int family = Byte.toUnsignedInt(message[16]);
            int prefix = Byte.toUnsignedInt(message[17]);
            byte[] address = null;
            for (int at = 24; at + 4 <= message.length;) {
                int length = Short.toUnsignedInt(in.getShort(at));
                if (length < 4 || at + length > message.length) {
                    break;
                }
                int attribute = in.getShort(at + 2);
                if (attribute == IFA_LOCAL || (attribute == IFA_ADDRESS && address == null)) {
                    address = java.util.Arrays.copyOfRange(message, at + 4, at + length);
                }
                at += align(length);
            }
            if (address == null) {
                return Errno.EINVAL;
            }
            stack.changeAddress(in.getInt(20), new NetworkInterface.Address(family, java.net.InetAddress.getByAddress(address),
                    prefix, NetworkInterface.SCOPE_UNIVERSE), type == RTM_NEWADDR);
            return 0;
        } catch (org.umview.module.ModuleException e) {
            return e.errno();
        } catch (java.net.UnknownHostException e) {
            return Errno.EINVAL;
        }
    }

    /** ip route add/del: 0 when made, else the errno. */
    private int changeRoute(int type, byte[] message) {
        if (message.length < 28) {
            return Errno.EINVAL;
        }
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder());
        int family = Byte.toUnsignedInt(message[16]);
        int prefix = Byte.toUnsignedInt(message[17]);
        byte[] destination = new byte[family == AF_INET6 ? 16 : 4];
        byte[] gateway = null;
        byte[] source = null;
        int index = 0;
        for (int at = 28; at + 4 <= message.length;) {
            int length = Short.toUnsignedInt(in.getShort(at));
            if (length < 4 || at + length > message.length) {
                break;
            }
            byte[] value = java.util.Arrays.copyOfRange(message, at + 4, at + length);
            switch (in.getShort(at + 2)) {
                case RTA_DST -> destination = value;
                case RTA_GATEWAY -> gateway = value;
                case RTA_PREFSRC -> source = value;
                case RTA_OIF -> index = value.length == 4 ? in.getInt(at + 4) : 0;
                default -> { }
            }
            at += align(length);
        }
        try {
            stack.changeRoute(new NetworkRoute(family, java.net.InetAddress.getByAddress(destination), prefix,
                    gateway == null ? null : java.net.InetAddress.getByAddress(gateway), index, Byte.toUnsignedInt(message[21]),
                    Byte.toUnsignedInt(message[22]), source == null ? null : java.net.InetAddress.getByAddress(source)),
                    type == RTM_NEWROUTE);
            return 0;
        } catch (org.umview.module.ModuleException e) {
            return e.errno();
        } catch (java.net.UnknownHostException e) {
            return Errno.EINVAL;
        }
    }

    /** The link a non-dump RTM_GETLINK names, by index or by IFLA_IFNAME. */
    private static NetworkInterface wantedLink(byte[] message, List<NetworkInterface> interfaces) {
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder());
        int index = message.length >= 32 ? in.getInt(20) : 0;
        String name = null;
        for (int at = 32; at + 4 <= message.length;) {
            int length = Short.toUnsignedInt(in.getShort(at));
            if (length < 4 || at + length > message.length) {
                break;
            }
            if (in.getShort(at + 2) == IFLA_IFNAME) {
                int end = at + 4;
                while (end < at + length && message[end] != 0) {
                    end++;
                }
                name = new String(message, at + 4, end - at - 4, StandardCharsets.UTF_8);
            }
            at += align(length);
        }
        for (NetworkInterface link : interfaces) {
            if ((index > 0 && link.index() == index) || (index <= 0 && link.name().equals(name))) {
                return link;
            }
        }
        return null;
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }

    /** Netlink messages, one after another, as one datagram carries them. */
    private static final class Messages {
        private final ByteBuffer out = ByteBuffer.allocate(BUFFER).order(ByteOrder.nativeOrder());
        private final int sequence;
        private final int port;

        Messages(int sequence, int port) {
            this.sequence = sequence;
            this.port = port;
        }

        void link(NetworkInterface link, int flags) {
            int start = header(RTM_NEWLINK, flags);
            out.put((byte) AF_UNSPEC).put((byte) 0).putShort((short) link.type()).putInt(link.index()).putInt(link.flags())
                    .putInt(0);
            attribute(IFLA_IFNAME, cString(link.name()));
            attribute(IFLA_MTU, intBytes(link.mtu()));
            attribute(IFLA_TXQLEN, intBytes(1000));
            attribute(IFLA_OPERSTATE, new byte[] {0}); // unknown, as a loopback's
            attribute(IFLA_LINKMODE, new byte[] {0});
            attribute(IFLA_GROUP, intBytes(0));
            attribute(IFLA_QDISC, cString("noqueue"));
            attribute(IFLA_ADDRESS, link.hardwareAddress());
            attribute(IFLA_BROADCAST, new byte[link.hardwareAddress().length]);
            end(start);
        }

        void address(NetworkInterface link, NetworkInterface.Address address) {
            int start = header(RTM_NEWADDR, NLM_F_MULTI);
            out.put((byte) address.family()).put((byte) address.prefix()).put((byte) IFA_F_PERMANENT)
                    .put((byte) address.scope()).putInt(link.index());
            byte[] ip = address.address().getAddress();
            attribute(IFA_ADDRESS, ip);
            if (ip.length == 4) {
                attribute(IFA_LOCAL, ip);
                attribute(IFA_LABEL, cString(link.name()));
            }
            attribute(IFA_FLAGS, intBytes(IFA_F_PERMANENT));
            attribute(IFA_CACHEINFO, ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(-1).putInt(-1).putInt(0)
                    .putInt(0).array()); // preferred and valid forever
            end(start);
        }

        void route(NetworkRoute route) {
            int start = header(RTM_NEWROUTE, NLM_F_MULTI);
            out.put((byte) route.family()).put((byte) route.prefix()).put((byte) 0).put((byte) 0).put((byte) RT_TABLE_MAIN)
                    .put((byte) route.protocol()).put((byte) route.scope()).put((byte) RTN_UNICAST).putInt(0);
            attribute(RTA_TABLE, intBytes(RT_TABLE_MAIN));
            if (route.prefix() > 0) {
                attribute(RTA_DST, route.destination().getAddress());
            }
            if (route.source() != null) {
                attribute(RTA_PREFSRC, route.source().getAddress());
            }
            if (route.gateway() != null) {
                attribute(RTA_GATEWAY, route.gateway().getAddress());
            }
            attribute(RTA_OIF, intBytes(route.index()));
            end(start);
        }

        void done() {
            int start = header(NLMSG_DONE, NLM_F_MULTI);
            out.putInt(0);
            end(start);
        }

        void error(int errno, byte[] request) {
            int start = header(NLMSG_ERROR, 0);
            out.putInt(-errno);
            out.put(request, 0, 16); // the request's header, as the kernel quotes it
            end(start);
        }

        private int header(int type, int flags) {
            int start = out.position();
            out.putInt(0).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(port);
            return start;
        }

        private void attribute(int type, byte[] data) {
            out.putShort((short) (4 + data.length)).putShort((short) type).put(data);
            pad();
        }

        private void end(int start) {
            pad();
            out.putInt(start, out.position() - start);
        }

        private void pad() {
            while ((out.position() & 3) != 0) {
                out.put((byte) 0);
            }
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(out.array(), out.position());
        }
    }

    private static byte[] cString(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(bytes, bytes.length + 1);
    }

    private static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }
}
