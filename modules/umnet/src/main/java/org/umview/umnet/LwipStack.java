package org.umview.umnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** slirp's network, as qemu and slirpvde have it: the stack is 10.0.2.15, the host's loopback 10.0.2.2. */
    private static final String SLIRP_ADDRESS = "10.0.2.15";
    private static final String SLIRP_HOST = "10.0.2.2";
    /** The helper's interface numbers: vdN is N, slN is SLIRP_SLOTS + N; the rtnetlink index is 2 + that. */
    private static final int SLIRP_SLOTS = 8;

    /** One interface: its name, the helper's number for it, its switch (a vdeplug URL), the IPv4 address the mount gave it, if any. */
    record Port(String name, int slot, String vdeSwitch, Inet4Address address, int prefix) {
    }

    /** An interface as it is now: up or down, with the IPv4 addresses given it (by the mount or by ip addr add). */
    private static final class Link {
        final String name;
        final int number;
        byte[] hardwareAddress = new byte[6];
        boolean up;
        final List<NetworkInterface.Address> addresses = new ArrayList<>();

        Link(String name, int number) {
            this.name = name;
            this.number = number;
        }
    }

    private final int supervisor = (int) ProcessHandle.current().pid();
    private final int number = STACKS.incrementAndGet();
    private final AtomicInteger connections = new AtomicInteger();
    /** Tells this stack's datagram senders from another's (another umview's too): the names have no room for more. */
    private final int datagramId = new java.security.SecureRandom().nextInt();
    private final List<Link> links = new ArrayList<>();
    private final Process helper;
    private final Writer commands;
    private final BufferedReader replies;
    /** The ports the helper listens on: a port bound again (after a close) is listened on already. */
    private final Set<Integer> listening = new HashSet<>();
    /** The UDP ports and the destinations of datagrams the helper has a socket for. */
    private final Set<Integer> datagramPorts = new HashSet<>();
    private final Set<SocketAddress> destinations = new HashSet<>();
    /** The routes ip route add made (the links' own networks are routes too, see routes()). */
    private final List<NetworkRoute> routes = new ArrayList<>();

    /** {@code forward}: packets between its interfaces are forwarded, as a router's (mount -o forward). */
    LwipStack(int uid, int gid, Path program, List<Port> ports, boolean forward) throws ModuleException {
        super(uid, gid);
        try {
            helper = new ProcessBuilder(program.toString(), HexFormat.of().formatHex(head(IN)),
                    HexFormat.of().formatHex(ByteBuffer.allocate(5).put(FROM).putInt(datagramId).array()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new ModuleException(Errno.ENOENT.intValue(), "umnetlwipv6: cannot start " + program + ": " + e.getMessage());
        }
        commands = new OutputStreamWriter(helper.getOutputStream(), StandardCharsets.US_ASCII);
        replies = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.US_ASCII));
        try {
            answer("the stack");
            if (forward) {
                command("forward");
            }
            for (Port port : ports) {
                command("vde " + port.slot() + " " + port.vdeSwitch());
                Link link = new Link(port.name(), port.slot());
                link.hardwareAddress = HexFormat.ofDelimiter(":").parseHex(command("hwaddr " + port.slot()));
                links.add(link);
                if (port.address() != null) { // given with the mount: up at once, else when ip link set up says
                    changeAddress(2 + port.slot(), new NetworkInterface.Address(AF_INET, port.address(), port.prefix(),
                            NetworkInterface.SCOPE_UNIVERSE), true);
                    setUp(2 + port.slot(), true);
                }
            }
            // Through slirp, as a slirp guest is configured: the rest of the world by its router.
            if (ports.stream().anyMatch(port -> port.slot() >= SLIRP_SLOTS)) {
                changeRoute(new NetworkRoute(AF_INET, SocketAddress.any(AF_INET).address(), 0, ipv4(SLIRP_HOST), 0,
                        NetworkRoute.RTPROT_BOOT, NetworkInterface.SCOPE_UNIVERSE, null), true);
            }
        } catch (ModuleException e) {
            helper.destroyForcibly();
            throw e;
        }
    }

    /** A line to the helper and its answer: it answers at once (a connection is made in the background). */
    private synchronized String command(String line) throws ModuleException {
        try {
            commands.write(line + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new ModuleException(Errno.ENETDOWN.intValue(), "umnetlwipv6: the stack's process is gone");
        }
        return answer(line);
    }

    /** What follows the helper's "ok" (most answers have nothing). */
    private String answer(String asked) throws ModuleException {
        String reply;
        try {
            reply = replies.readLine();
        } catch (IOException e) {
            reply = null;
        }
        if (reply == null) {
            throw new ModuleException(Errno.ENETDOWN.intValue(), "umnetlwipv6: the stack's process is gone");
        }
        if (!reply.equals("ok") && !reply.startsWith("ok ")) {
            String[] words = reply.split(" ", 3);
            int errno = words.length > 1 ? Integer.parseInt(words[1]) : Errno.EIO.intValue();
            throw new ModuleException(errno, "umnetlwipv6: " + asked + ": " + (words.length > 2 ? words[2] : reply));
        }
        return reply.length() > 3 ? reply.substring(3) : "";
    }

    @Override
    public void socket(int family, int type, int protocol) throws ModuleException {
        if (!helper.isAlive()) {
            throw new ModuleException(Errno.ENETDOWN.intValue(), "umnetlwipv6: the stack's process is gone");
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
        if (!local && !own(address.address())) {
            throw new ModuleException(Errno.EADDRNOTAVAIL.intValue());
        }
        int port = address.port() != 0 ? address.port() : ThreadLocalRandom.current().nextInt(FIRST_EPHEMERAL, LAST_EPHEMERAL + 1);
        byte[] name = bound(!address.ipv4(), type, port);
        if (type == SOCK_DGRAM && !address.address().isLoopbackAddress()) {
            synchronized (this) { // datagrams from the switches to the port go to the socket from now on
                if (!datagramPorts.contains(port)) {
                    command("udp " + port + " " + HexFormat.of().formatHex(name));
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
        if (!(address.address().isAnyLocalAddress() || own(address.address()))) {
            throw new ModuleException(Errno.EADDRNOTAVAIL.intValue());
        }
        return bound(!address.ipv4(), ICMP_KIND, address.port() != 0 ? address.port() : ThreadLocalRandom.current().nextInt(1, 65536));
    }

    @Override
    public byte[] route(int type, int protocol, SocketAddress address) throws ModuleException {
        if (!echoProtocol(protocol)) {
            return route(type, address);
        }
        if (!(reachable(address.address()) || own(address.address()) || address.address().isLoopbackAddress())) {
            throw new ModuleException(Errno.ENETUNREACH.intValue());
        }
        byte[] ip = address.address().getAddress();
        byte[] name = ByteBuffer.allocate(HEAD + ip.length + 6).put(head(ECHO)).put(ip).putShort((short) 0).putInt(-1).array();
        SocketAddress echo = new SocketAddress(address.family(), address.address(), -1);
        synchronized (this) {
            if (!destinations.contains(echo)) {
                command("icmpto " + HexFormat.of().formatHex(name) + " " + text(address.address()));
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
        command("listen " + local.port() + " " + HexFormat.of().formatHex(bound(!local.ipv4(), type, local.port()))
                + (local.ipv4() ? "" : " 6"));
        listening.add(local.port());
    }

    @Override
    public byte[] route(int type, SocketAddress address) throws ModuleException {
        if (address.port() == 0) {
            throw new ModuleException(Errno.ECONNREFUSED.intValue());
        }
        if (address.address().isLoopbackAddress() || own(address.address())) {
            return bound(!address.ipv4(), type, address.port()); // a program of this stack: straight to its socket
        }
        if (address.address() instanceof java.net.Inet6Address six && six.isLinkLocalAddress() && six.getScopeId() == 0) {
            throw new ModuleException(Errno.EINVAL.intValue()); // which link: the kernel's answer too
        }
        if (!reachable(address.address())) {
            throw new ModuleException(Errno.ENETUNREACH.intValue());
        }
        if (type == SOCK_DGRAM) {
            byte[] ip = address.address().getAddress();
            byte[] name = ByteBuffer.allocate(HEAD + ip.length + 6).put(head(TO)).put(ip)
                    .putShort((short) address.port()).putInt(-1).array();
            synchronized (this) {
                if (!destinations.contains(address)) {
                    command("udpto " + HexFormat.of().formatHex(name) + " " + text(address.address()) + " " + address.port());
                    destinations.add(address);
                }
            }
            return name;
        }
        byte[] ip = address.address().getAddress();
        byte[] name = ByteBuffer.allocate(HEAD + ip.length + 6).put(head(OUT)).put(ip)
                .putShort((short) address.port()).putInt(connections.incrementAndGet()).array();
        command("connect " + HexFormat.of().formatHex(name) + " " + text(address.address()) + " " + address.port());
        return name;
    }

    /** The first interface's address, a program of this stack on its loopback aside. */
    @Override
    public SocketAddress source(SocketAddress destination) {
        if (!destination.ipv4()) {
            return addresses().stream().filter(a -> a.family() == AF_INET6 && !destination.address().isLoopbackAddress()
                    && a.address().isLinkLocalAddress() == destination.address().isLinkLocalAddress())
                    .map(a -> new SocketAddress(AF_INET6, a.address(), 0)).findFirst().orElse(SocketAddress.loopback(AF_INET6, 0));
        }
        InetAddress from = destination.address().isLoopbackAddress() || own(destination.address())
                ? SocketAddress.loopback(AF_INET, 0).address() : firstAddress();
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
                return ipv6 ? SocketAddress.loopback(AF_INET6, port) : new SocketAddress(AF_INET, firstAddress(), port);
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
    public synchronized void changeAddress(int index, NetworkInterface.Address address, boolean add) throws ModuleException {
        Link link = link(index);
        if (address.prefix() > (address.family() == AF_INET6 ? 128 : 32) || address.address().getAddress().length
                != (address.family() == AF_INET6 ? 16 : 4)) {
            throw new ModuleException(Errno.EINVAL.intValue());
        }
        boolean there = link.addresses.stream().anyMatch(a -> a.address().equals(address.address()))
                || (address.address().isLinkLocalAddress() && address.address().equals(linkLocal(link).address()));
        if (add == there) {
            throw new ModuleException(add ? Errno.EEXIST.intValue() : Errno.EADDRNOTAVAIL.intValue());
        }
        command((add ? "addr " : "deladdr ") + link.number + " " + text(address.address()) + " " + address.prefix());
        if (add) {
            link.addresses.add(address);
        } else {
            link.addresses.removeIf(a -> a.address().equals(address.address()));
        }
    }

    @Override
    public synchronized void setUp(int index, boolean up) throws ModuleException {
        Link link = link(index);
        if (link.up != up) {
            command((up ? "up " : "down ") + link.number);
            link.up = up;
        }
    }

    @Override
    public synchronized List<NetworkRoute> routes() {
        List<NetworkRoute> all = new ArrayList<>();
        for (Link link : links) {
            if (link.up) {
                for (NetworkInterface.Address a : link.addresses) {
                    boolean six = a.family() == AF_INET6; // the kernel's IPv6 routes say no source and scope universe
                    all.add(new NetworkRoute(a.family(), network(a.address(), a.prefix()), a.prefix(), null, 2 + link.number,
                            NetworkRoute.RTPROT_KERNEL, six ? NetworkInterface.SCOPE_UNIVERSE : NetworkInterface.SCOPE_LINK,
                            six ? null : a.address()));
                }
                NetworkInterface.Address local = linkLocal(link);
                all.add(new NetworkRoute(AF_INET6, network(local.address(), 64), 64, null, 2 + link.number,
                        NetworkRoute.RTPROT_KERNEL, NetworkInterface.SCOPE_UNIVERSE, null));
            }
        }
        all.addAll(routes);
        return all;
    }

    /**
     * ip route add/del (-4 or -6): through a gateway on a link that is up (or on a link named by
     * dev); the helper puts it in LWIPv6's table. As the kernel: EEXIST, ESRCH for none such,
     * ENETUNREACH for a gateway off the links.
     */
    @Override
    public synchronized void changeRoute(NetworkRoute route, boolean add) throws ModuleException {
        if (route.prefix() > route.destination().getAddress().length * 8
                || route.gateway() != null && route.gateway().getAddress().length != route.destination().getAddress().length) {
            throw new ModuleException(Errno.EINVAL.intValue(), "umnetlwipv6: a route's addresses are of one family");
        }
        InetAddress destination = network(route.destination(), route.prefix());
        if (!add) {
            NetworkRoute there = routes.stream().filter(r -> r.destination().equals(destination) && r.prefix() == route.prefix()
                    && (route.gateway() == null || route.gateway().equals(r.gateway()))
                    && (route.index() == 0 || route.index() == r.index())).findFirst()
                    .orElseThrow(() -> new ModuleException(Errno.ESRCH.intValue()));
            command("route del " + (there.index() - 2) + " " + text(destination) + " " + there.prefix() + " "
                    + (there.gateway() == null ? "-" : text(there.gateway())));
            routes.remove(there);
            return;
        }
        int index = route.index();
        if (route.gateway() != null) {
            NetworkRoute on = routes().stream().filter(r -> r.protocol() == NetworkRoute.RTPROT_KERNEL && r.covers(route.gateway())
                    && (route.index() == 0 || r.index() == route.index())).findFirst()
                    .orElseThrow(() -> new ModuleException(Errno.ENETUNREACH.intValue()));
            index = on.index();
        }
        Link link = link(index);
        if (routes.stream().anyMatch(r -> r.destination().equals(destination) && r.prefix() == route.prefix())) {
            throw new ModuleException(Errno.EEXIST.intValue());
        }
        command("route add " + link.number + " " + text(destination) + " " + route.prefix() + " "
                + (route.gateway() == null ? "-" : text(route.gateway())));
        routes.add(new NetworkRoute(route.family(), destination, route.prefix(), route.gateway(), index, route.protocol(),
                route.gateway() == null ? NetworkInterface.SCOPE_LINK : NetworkInterface.SCOPE_UNIVERSE, route.source()));
    }

    private static Inet4Address ipv4(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }

    private static InetAddress network(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Interface {@code index} (lo is 1, vdN is N + 2); lo cannot be changed. */
    private Link link(int index) throws ModuleException {
        for (Link link : links) {
            if (2 + link.number == index) {
                return link;
            }
        }
        throw new ModuleException(index == 1 ? Errno.EPERM.intValue() : Errno.ENODEV.intValue());
    }

    @Override
    public List<NetworkInterface> interfaces() {
        List<NetworkInterface> all = new ArrayList<>(List.of(new NetworkInterface(1, "lo", NetworkInterface.ARPHRD_LOOPBACK,
                NetworkInterface.IFF_UP | NetworkInterface.IFF_LOOPBACK | NetworkInterface.IFF_RUNNING | NetworkInterface.IFF_LOWER_UP,
                65536, new byte[6], List.of(new NetworkInterface.Address(AF_INET, SocketAddress.loopback(AF_INET, 0).address(), 8,
                        NetworkInterface.SCOPE_HOST)))));
        synchronized (this) {
            for (Link link : links) {
                int running = link.up ? NetworkInterface.IFF_UP | NetworkInterface.IFF_RUNNING | NetworkInterface.IFF_LOWER_UP : 0;
                all.add(new NetworkInterface(2 + link.number, link.name, NetworkInterface.ARPHRD_ETHER,
                        running | NetworkInterface.IFF_BROADCAST | NetworkInterface.IFF_MULTICAST, 1500, link.hardwareAddress.clone(),
                        link.up ? java.util.stream.Stream.concat(link.addresses.stream(), java.util.stream.Stream.of(linkLocal(link))).toList()
                                : List.copyOf(link.addresses)));
            }
        }
        return all;
    }

    @Override
    public void unmount() {
        try {
            commands.close(); // the helper ends when its input does, and the stack with it
        } catch (IOException e) {
            // gone already
        }
        helper.destroy();
    }

    /** The addresses of the interfaces that are up. */
    private synchronized List<NetworkInterface.Address> addresses() {
        List<NetworkInterface.Address> all = new ArrayList<>();
        links.stream().filter(link -> link.up).forEach(link -> {
            all.addAll(link.addresses);
            all.add(linkLocal(link));
        });
        return all;
    }

    /**
     * The IPv6 link-local address LWIPv6's autoconfiguration gives an interface (fe80::/64 and
     * the modified EUI-64 of its MAC), as the kernel's.
     */
    private static NetworkInterface.Address linkLocal(Link link) {
        byte[] mac = link.hardwareAddress;
        byte[] ip = {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, (byte) (mac[0] ^ 2), mac[1], mac[2], (byte) 0xff, (byte) 0xfe,
            mac[3], mac[4], mac[5]};
        try {
            return new NetworkInterface.Address(AF_INET6, InetAddress.getByAddress(ip), 64, NetworkInterface.SCOPE_LINK);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An address as the helper parses it: no scope suffix. */
    private static String text(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress()).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean own(InetAddress address) {
        return addresses().stream().anyMatch(a -> a.address().equals(address));
    }

    /** Whether a route of the stack (a network of an interface that is up, or one ip route add made) holds {@code address}. */
    private boolean reachable(InetAddress address) {
        return routes().stream().anyMatch(route -> route.covers(address));
    }

    private InetAddress firstAddress() {
        return addresses().stream().map(NetworkInterface.Address::address).findFirst().orElse(SocketAddress.any(AF_INET).address());
    }

    private byte[] head(byte tag) {
        return ByteBuffer.allocate(HEAD).put(tag).putInt(supervisor).putInt(number).array();
    }

    private byte[] bound(boolean ipv6, int type, int port) {
        return ByteBuffer.allocate(HEAD + 4).put(head(BOUND)).put((byte) (ipv6 ? 6 : 4)).put((byte) type).putShort((short) port).array();
    }

    /** The interfaces asked with mount -o vdN=SWITCH and ipN=ADDRESS/PREFIX, and slN (slirp, 10.0.2.15/24). */
    static List<Port> ports(Map<String, String> options) throws ModuleException {
        List<Port> ports = new ArrayList<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (option.getKey().matches("sl[0-7]")) {
                if (!option.getValue().isEmpty()) {
                    throw new ModuleException(Errno.EINVAL.intValue(), "umnetlwipv6: " + option.getKey() + " takes no value");
                }
                ports.add(new Port(option.getKey(), SLIRP_SLOTS + option.getKey().charAt(2) - '0', "slirp://", ipv4(SLIRP_ADDRESS), 24));
                continue;
            }
            if (!option.getKey().matches("vd[0-7]")) {
                continue;
            }
            int n = option.getKey().charAt(2) - '0';
            String ip = options.get("ip" + n);
            Inet4Address address = null;
            int prefix = 24;
            if (ip != null) {
                String[] parts = ip.split("/");
                try {
                    if (!parts[0].matches("[0-9.]+") || !(InetAddress.getByName(parts[0]) instanceof Inet4Address v4)) {
                        throw new ModuleException(Errno.EINVAL.intValue(), "umnetlwipv6: ip" + n + "=" + ip + " is not an IPv4 address");
                    }
                    address = v4;
                    prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : 24;
                } catch (java.net.UnknownHostException | NumberFormatException e) {
                    throw new ModuleException(Errno.EINVAL.intValue(), "umnetlwipv6: ip" + n + "=" + ip + " is not ADDRESS/PREFIX");
                }
                if (prefix < 0 || prefix > 32) {
                    throw new ModuleException(Errno.EINVAL.intValue(), "umnetlwipv6: the prefix of ip" + n + " is 0 to 32");
                }
            }
            ports.add(new Port(option.getKey(), n, option.getValue(), address, prefix));
        }
        for (String key : options.keySet()) {
            if (!key.matches("vd[0-7]|ip[0-7]|sl[0-7]|forward")) {
                throw new ModuleException(Errno.EINVAL.intValue(), "umnetlwipv6: unknown option " + key
                        + " (vdN=SWITCH, ipN=ADDRESS/PREFIX, slN, forward)");
            }
            if (key.startsWith("ip") && !options.containsKey("vd" + key.charAt(2))) {
                throw new ModuleException(Errno.EINVAL.intValue(), "umnetlwipv6: " + key + " without vd" + key.charAt(2));
            }
        }
        ports.sort(java.util.Comparator.comparingInt(Port::slot));
        return ports;
    }
}
