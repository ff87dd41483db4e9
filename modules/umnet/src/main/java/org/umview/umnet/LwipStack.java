package org.umview.umnet;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.constants.platform.Errno;
import org.umview.module.ModuleException;
import org.umview.module.NetworkInterface;
import org.umview.module.NetworkRoute;
import org.umview.module.SocketAddress;

/**
 * umnetlwipv6 (umnetvde): a TCP/IP stack of its own, Debian's LWIPv6, whose interfaces vdN are
 * ports of VDE switches. The stack lives in a process of its own ({@code umnet-lwip}), so a
 * fault in it or a hostile frame from a switch stays there: a dead stack is ENETDOWN to the
 * sockets that use it. The programs' sockets are Unix sockets of the view, as in every umnet
 * stack; that process carries each TCP connection between its Unix socket and LWIPv6. Programs
 * of the view that talk to the stack's own addresses (or its loopback) are connected directly.
 */
final class LwipStack extends StackNode {
    private static final int AF_INET = SocketAddress.AF_INET;
    private static final int AF_INET6 = SocketAddress.AF_INET6;
    private static final int AF_NETLINK = 16;
    private static final int NETLINK_ROUTE = 0;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;
    /** The type byte of an ICMP datagram socket's name (UDP's is SOCK_DGRAM). */
    private static final int ICMP_KIND = 0x41;
    private static final int FIRST_EPHEMERAL = 32768;
    private static final int LAST_EPHEMERAL = 60999;
    /** Names: a program's bound socket, a connection out (to a listener of the helper), one in (the helper's end). */
    private static final byte BOUND = 'w';
    private static final byte OUT = 'c';
    private static final byte IN = 'r';
    /** A destination of datagrams: the helper's Unix datagram socket that sends there. */
    private static final byte TO = 'd';
    /** A destination of ICMP echo requests: the helper's Unix datagram socket that sends there. */
    private static final byte ECHO = 'e';
    /** A sender of datagrams from the switches: its name must fit a sockaddr_in (13 bytes) or, for IPv6, a sockaddr_in6 (25). */
    private static final byte FROM = 'q';
    private static final int HEAD = 9;
    private static final AtomicInteger STACKS = new AtomicInteger();

    private final int supervisor = (int) ProcessHandle.current().pid();
    private final int number = STACKS.incrementAndGet();
    private final AtomicInteger connections = new AtomicInteger();
    /** Tells this stack's datagram senders from another's (another umview's too): the names have no room for more. */
    private final int datagramId = new java.security.SecureRandom().nextInt();
    private final LwipHelper helper;
    private final LwipLinks links;
    /** The ports the helper listens on: a port bound again (after a close) is listened on already. */
    private final Set<Integer> listening = new HashSet<>();
    /** The UDP ports and the destinations of datagrams the helper has a socket for. */
    private final Set<Integer> datagramPorts = new HashSet<>();
    private final Set<SocketAddress> destinations = new HashSet<>();
    /** The TCP connections routed to, by name (hex), until the program's connect asks how they went. */
    private final Map<String, CompletableFuture<Void>> connecting = new ConcurrentHashMap<>();

    /** {@code forward}: packets between its interfaces are forwarded, as a router's (mount -o forward). */
    LwipStack(int uid, int gid, Path program, List<LwipOptions.Port> ports, boolean forward) throws ModuleException {
        super(uid, gid);
        helper = new LwipHelper(program, HexFormat.of().formatHex(head(IN)),
                HexFormat.of().formatHex(ByteBuffer.allocate(5).put(FROM).putInt(datagramId).array()));
        links = new LwipLinks(helper);
        try {
            if (forward) {
                helper.command("forward");
            }
            for (LwipOptions.Port port : ports) {
                links.plug(port);
            }
            // Through slirp, as a slirp guest is configured: the rest of the world by its router.
            if (ports.stream().anyMatch(LwipOptions.Port::slirp)) {
                links.changeRoute(new NetworkRoute(AF_INET, SocketAddress.any(AF_INET).address(), 0,
                        LwipOptions.ipv4(LwipOptions.SLIRP_HOST), 0, NetworkRoute.RTPROT_BOOT, NetworkInterface.SCOPE_UNIVERSE, null), true);
            }
        } catch (ModuleException e) {
            helper.kill();
            throw e;
        }
    }

    @Override
    public void socket(int family, int type, int protocol) throws ModuleException {
        if (!helper.alive()) {
            throw LwipHelper.gone();
        }
        if (family == AF_NETLINK && protocol == NETLINK_ROUTE) {
            return; // the core answers rtnetlink from interfaces()
        }
        if (family != AF_INET && family != AF_INET6) {
            throw new ModuleException(Errno.EAFNOSUPPORT.intValue(), "umnetlwipv6 has IPv4 and IPv6 TCP and UDP sockets only, so far");
        }
        boolean tcp = type == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP);
        boolean udp = type == SOCK_DGRAM && (protocol == 0 || protocol == IPPROTO_UDP);
        boolean ping = type == SOCK_DGRAM && echoProtocol(protocol) && protocol == (family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
        // ping's: harms nobody here
        if (!tcp && !udp && !ping) {
            throw new ModuleException(Errno.EPROTONOSUPPORT.intValue(), "umnetlwipv6 has TCP and UDP sockets only, so far");
        }
    }

    /**
     * An IPv6 socket has the IPv6 wildcard and loopback only, so far: bound to {@code ::}, it is
     * a dual-stack socket that IPv4 reaches (as {@code python3 -m http.server} binds).
     */
    @Override
    public byte[] bind(int type, SocketAddress address) throws ModuleException {
        boolean local = address.address().isAnyLocalAddress() || address.address().isLoopbackAddress();
        if (!local && !links.own(address.address())) {
            throw new ModuleException(Errno.EADDRNOTAVAIL.intValue());
        }
        int port = address.port() != 0 ? address.port() : ThreadLocalRandom.current().nextInt(FIRST_EPHEMERAL, LAST_EPHEMERAL + 1);
        byte[] name = bound(!address.ipv4(), type, port);
        if (type == SOCK_DGRAM && !address.address().isLoopbackAddress()) {
            synchronized (this) { // datagrams from the switches to the port go to the socket from now on
                if (!datagramPorts.contains(port)) {
                    helper.command("udp " + port + " " + HexFormat.of().formatHex(name));
                    datagramPorts.add(port);
                }
            }
        }
        return name;
    }

    /**
     * An ICMP datagram socket (ping's, as Linux's ping sockets): its name carries an identifier,
     * and echo replies come to it from the helper, which sends its requests through an LWIPv6
     * raw socket.
     */
    @Override
    public byte[] bind(int type, int protocol, SocketAddress address) throws ModuleException {
        if (!echoProtocol(protocol)) {
            return bind(type, address);
        }
        if (!(address.address().isAnyLocalAddress() || links.own(address.address()))) {
            throw new ModuleException(Errno.EADDRNOTAVAIL.intValue());
        }
        return bound(!address.ipv4(), ICMP_KIND, address.port() != 0 ? address.port() : ThreadLocalRandom.current().nextInt(1, 65536));
    }

    @Override
    public byte[] route(int type, int protocol, SocketAddress address) throws ModuleException {
        if (!echoProtocol(protocol)) {
            return route(type, address);
        }
        if (!(links.reachable(address.address()) || links.own(address.address()) || address.address().isLoopbackAddress())) {
            throw new ModuleException(Errno.ENETUNREACH.intValue());
        }
        byte[] ip = address.address().getAddress();
        byte[] name = ByteBuffer.allocate(HEAD + ip.length + 6).put(head(ECHO)).put(ip).putShort((short) 0).putInt(-1).array();
        SocketAddress echo = new SocketAddress(address.family(), address.address(), -1);
        synchronized (this) {
            if (!destinations.contains(echo)) {
                helper.command("icmpto " + HexFormat.of().formatHex(name) + " " + LwipHelper.text(address.address()));
                destinations.add(echo);
            }
        }
        return name;
    }

    /** ICMP's or ICMPv6's: echo requests and replies only, as a ping socket has them. */
    private static boolean echoProtocol(int protocol) {
        return protocol == IPPROTO_ICMP || protocol == IPPROTO_ICMPV6;
    }

    /** TCP connections from the switches to the port go to the program's socket, from now on. */
    @Override
    public synchronized void listen(int type, SocketAddress local) throws ModuleException {
        if (local.address().isLoopbackAddress() || listening.contains(local.port())) {
            return;
        }
        helper.command("listen " + local.port() + " " + HexFormat.of().formatHex(bound(!local.ipv4(), type, local.port()))
                + (local.ipv4() ? "" : " 6"));
        listening.add(local.port());
    }

    @Override
    public byte[] route(int type, SocketAddress address) throws ModuleException {
        if (address.port() == 0) {
            throw new ModuleException(Errno.ECONNREFUSED.intValue());
        }
        if (address.address().isLoopbackAddress() || links.own(address.address())) {
            return bound(!address.ipv4(), type, address.port()); // a program of this stack: straight to its socket
        }
        if (address.address() instanceof java.net.Inet6Address six && six.isLinkLocalAddress() && six.getScopeId() == 0) {
            throw new ModuleException(Errno.EINVAL.intValue()); // which link: the kernel's answer too
        }
        if (!links.reachable(address.address())) {
            throw new ModuleException(Errno.ENETUNREACH.intValue());
        }
        if (type == SOCK_DGRAM) {
            byte[] ip = address.address().getAddress();
            byte[] name = ByteBuffer.allocate(HEAD + ip.length + 6).put(head(TO)).put(ip)
                    .putShort((short) address.port()).putInt(-1).array();
            synchronized (this) {
                if (!destinations.contains(address)) {
                    helper.command("udpto " + HexFormat.of().formatHex(name) + " " + LwipHelper.text(address.address()) + " " + address.port());
                    destinations.add(address);
                }
            }
            return name;
        }
        byte[] ip = address.address().getAddress();
        byte[] name = ByteBuffer.allocate(HEAD + ip.length + 6).put(head(OUT)).put(ip)
                .putShort((short) address.port()).putInt(connections.incrementAndGet()).array();
        String hex = HexFormat.of().formatHex(name);
        connecting.put(hex, helper.connect(hex, LwipHelper.text(address.address()), address.port()));
        return name;
    }

    /** Made when LWIPv6's TCP connection is: refused (ECONNREFUSED), unreachable or timed out as LWIPv6 says. */
    @Override
    public CompletableFuture<Void> connection(byte[] name) {
        CompletableFuture<Void> made = connecting.remove(HexFormat.of().formatHex(name));
        return made != null ? made : CompletableFuture.completedFuture(null);
    }

    /** The first interface's address, a program of this stack on its loopback aside. */
    @Override
    public SocketAddress source(SocketAddress destination) {
        if (!destination.ipv4()) {
            return links.addresses().stream().filter(a -> a.family() == AF_INET6 && !destination.address().isLoopbackAddress()
                    && a.address().isLinkLocalAddress() == destination.address().isLinkLocalAddress())
                    .map(a -> new SocketAddress(AF_INET6, a.address(), 0)).findFirst().orElse(SocketAddress.loopback(AF_INET6, 0));
        }
        InetAddress from = destination.address().isLoopbackAddress() || links.own(destination.address())
                ? SocketAddress.loopback(AF_INET, 0).address() : links.firstAddress();
        return new SocketAddress(destination.family(), from, 0); // ::ffff:a.b.c.d for an IPv6 socket
    }

    /** An IPv6 socket bound to {@code ::} with the port, which IPv4 reaches when no IPv4 socket has it. */
    @Override
    public byte[] dualStack(int type, SocketAddress address) {
        return bound(true, type, address.port());
    }

    @Override
    public SocketAddress address(int family, byte[] name) {
        SocketAddress address = ipv4Address(name);
        if (address == null || family != AF_INET6 || !address.ipv4()) {
            return address;
        }
        return new SocketAddress(AF_INET6, address.address(), address.port()); // ::ffff:a.b.c.d to an IPv6 socket
    }

    private SocketAddress ipv4Address(byte[] name) {
        if ((name.length == 13 || name.length == 25) && name[0] == FROM && ByteBuffer.wrap(name).getInt(1) == datagramId) {
            int ip = name.length - 9; // the sender's address: IPv4 in a name that fits a sockaddr_in, IPv6 in a sockaddr_in6's
            try {
                return new SocketAddress(ip == 16 ? AF_INET6 : AF_INET, InetAddress.getByAddress(java.util.Arrays.copyOfRange(name, 5, 5 + ip)),
                        Short.toUnsignedInt(ByteBuffer.wrap(name).getShort(5 + ip)));
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }
        if (name.length < HEAD || !ByteBuffer.wrap(name, 1, 8).equals(ByteBuffer.wrap(head(BOUND), 1, 8))) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(name, HEAD, name.length - HEAD);
        try {
            if (name[0] == BOUND && in.remaining() == 4) {
                boolean ipv6 = in.get() == 6;
                in.get();
                int port = Short.toUnsignedInt(in.getShort());
                return ipv6 ? SocketAddress.loopback(AF_INET6, port) : new SocketAddress(AF_INET, links.firstAddress(), port);
            }
            if ((name[0] == OUT || name[0] == IN || name[0] == TO) && (in.remaining() == 10 || in.remaining() == 22)) {
                byte[] ip = new byte[in.remaining() - 6];
                in.get(ip);
                int port = Short.toUnsignedInt(in.getShort());
                // The helper writes the port as LWIPv6 gives it, in network order, as the supervisor reads it here.
                return new SocketAddress(ip.length == 16 ? AF_INET6 : AF_INET, InetAddress.getByAddress(ip), port);
            }
        } catch (java.net.UnknownHostException e) {
            return null;
        }
        return null;
    }

    @Override
    public void unmount() {
        helper.end();
    }

    @Override
    public void changeAddress(int index, NetworkInterface.Address address, boolean add) throws ModuleException {
        links.changeAddress(index, address, add);
    }

    @Override
    public void setUp(int index, boolean up) throws ModuleException {
        links.setUp(index, up);
    }

    @Override
    public List<NetworkRoute> routes() {
        return links.routes();
    }

    @Override
    public void changeRoute(NetworkRoute route, boolean add) throws ModuleException {
        links.changeRoute(route, add);
    }

    @Override
    public List<NetworkInterface> interfaces() {
        return links.interfaces();
    }

    private byte[] head(byte tag) {
        return ByteBuffer.allocate(HEAD).put(tag).putInt(supervisor).putInt(number).array();
    }

    private byte[] bound(boolean ipv6, int type, int port) {
        return ByteBuffer.allocate(HEAD + 4).put(head(BOUND)).put((byte) (ipv6 ? 6 : 4)).put((byte) type).putShort((short) port).array();
    }


}
