package org.umview.umnet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import jnr.constants.platform.Errno;
import org.umview.module.ModuleException;
import org.umview.module.NetworkInterface;
import org.umview.module.NetworkRoute;
import org.umview.module.SocketAddress;

/**
 * A stack's interfaces (vdN, slN), their addresses and its routes as the helper has them in
 * LWIPv6: what ip link, ip addr and ip route show and change (rtnetlink indexes: lo is 1,
 * interface N of the helper is N + 2).
 */
final class LwipLinks {
    private static final int AF_INET = SocketAddress.AF_INET;
    private static final int AF_INET6 = SocketAddress.AF_INET6;

    /** An interface as it is now: up or down, with the addresses given it (by the mount or by ip addr add). */
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

    private final LwipHelper helper;
    private final List<Link> links = new ArrayList<>();
    /** The routes ip route add made (the links' own networks are routes too, see routes()). */
    private final List<NetworkRoute> routes = new ArrayList<>();

    LwipLinks(LwipHelper helper) {
        this.helper = helper;
    }

    /** The interface a mount option asks for, plugged into its switch; up at once if the mount gave it an address. */
    synchronized void plug(LwipOptions.Port port) throws ModuleException {
        helper.command("vde " + port.slot() + " " + port.vdeSwitch());
        Link link = new Link(port.name(), port.slot());
        link.hardwareAddress = HexFormat.ofDelimiter(":").parseHex(helper.command("hwaddr " + port.slot()));
        links.add(link);
        if (port.address() != null) { // else up when ip link set up says
            changeAddress(2 + port.slot(), new NetworkInterface.Address(AF_INET, port.address(), port.prefix(),
                    NetworkInterface.SCOPE_UNIVERSE), true);
            setUp(2 + port.slot(), true);
        }
    }

    synchronized void changeAddress(int index, NetworkInterface.Address address, boolean add) throws ModuleException {
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
        helper.command((add ? "addr " : "deladdr ") + link.number + " " + LwipHelper.text(address.address()) + " " + address.prefix());
        if (add) {
            link.addresses.add(address);
        } else {
            link.addresses.removeIf(a -> a.address().equals(address.address()));
        }
    }

    synchronized void setUp(int index, boolean up) throws ModuleException {
        Link link = link(index);
        if (link.up != up) {
            helper.command((up ? "up " : "down ") + link.number);
            link.up = up;
        }
    }

    synchronized List<NetworkRoute> routes() {
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
    synchronized void changeRoute(NetworkRoute route, boolean add) throws ModuleException {
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
            helper.command("route del " + (there.index() - 2) + " " + LwipHelper.text(destination) + " " + there.prefix() + " "
                    + (there.gateway() == null ? "-" : LwipHelper.text(there.gateway())));
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
        helper.command("route add " + link.number + " " + LwipHelper.text(destination) + " " + route.prefix() + " "
                + (route.gateway() == null ? "-" : LwipHelper.text(route.gateway())));
        routes.add(new NetworkRoute(route.family(), destination, route.prefix(), route.gateway(), index, route.protocol(),
                route.gateway() == null ? NetworkInterface.SCOPE_LINK : NetworkInterface.SCOPE_UNIVERSE, route.source()));
    }

    static InetAddress network(InetAddress address, int prefix) {
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

    List<NetworkInterface> interfaces() {
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

    /** The addresses of the interfaces that are up. */
    synchronized List<NetworkInterface.Address> addresses() {
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

    boolean own(InetAddress address) {
        return addresses().stream().anyMatch(a -> a.address().equals(address));
    }

    /** Whether a route of the stack (a network of an interface that is up, or one ip route add made) holds {@code address}. */
    boolean reachable(InetAddress address) {
        return routes().stream().anyMatch(route -> route.covers(address));
    }

    InetAddress firstAddress() {
        return addresses().stream().map(NetworkInterface.Address::address).findFirst().orElse(SocketAddress.any(AF_INET).address());
    }
}
