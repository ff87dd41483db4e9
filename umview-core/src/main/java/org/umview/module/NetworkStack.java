package org.umview.module;

import org.umview.libc.Errno;

/**
 * A mounted file system that is a network stack (umnet): {@code mount -t umnetXXX none
 * /dev/net/NAME} makes one, {@code mstack} makes it a process's default for the families it
 * serves. The sockets a program makes in a stack are kernel sockets: the host's own when the
 * stack {@link #host() is the host's}; else Unix sockets of the same type, which the stack names
 * with {@link #bind} and {@link #route}. So data, readiness (poll, epoll, select), blocking,
 * signals, fork, dup and exec are the kernel's, at the kernel's speed; the core keeps each
 * socket's Internet addresses and options and answers getsockname, getpeername, accept's and
 * recvfrom's addresses in the program's family. A stack never sees registers or tracee memory.
 */
public interface NetworkStack {
    int SOCK_STREAM = 1;
    int SOCK_DGRAM = 2;

    /** The host's own stack: its sockets are made as the program asks and nothing of them is trapped. */
    default boolean host() {
        return false;
    }

    /** Whether the stack may reach beyond the view (a view started with {@code --net none} refuses such a mount). */
    default boolean reachesHost() {
        return host();
    }

    /**
     * Whether sockets of {@code family} (AF_INET, AF_INET6, AF_PACKET, AF_NETLINK...) and
     * {@code protocol} are this stack's; the others are the host's.
     */
    boolean serves(int family, int protocol);

    /**
     * Accepts (or refuses, with the errno the kernel would give: EAFNOSUPPORT, EPROTONOSUPPORT,
     * EPERM...) a new socket of {@code family}; {@code type} is without its flags. An accepted
     * AF_NETLINK socket of NETLINK_ROUTE is answered by the core from {@link #interfaces()}.
     */
    void socket(int family, int type, int protocol) throws ModuleException;

    /**
     * The name a socket of {@code type} bound to {@code address} has among the Unix sockets
     * (the bytes of an abstract name, without its leading NUL). Port 0 asks for a free port:
     * the stack picks one, and is asked again with another if the name is taken.
     * EADDRNOTAVAIL for an address not the stack's. Names of 13 bytes or less are told back
     * in full through a program's sockaddr_in (recvfrom's sender is read from it).
     */
    byte[] bind(int type, SocketAddress address) throws ModuleException;

    /**
     * The name a connect (or a datagram) to {@code address} goes to; ENETUNREACH, EHOSTUNREACH
     * where the stack has no way there. A name no socket has gives ECONNREFUSED, as a closed port.
     */
    byte[] route(int type, SocketAddress address) throws ModuleException;

    /**
     * {@link #bind(int, SocketAddress)} for a socket of {@code protocol} (as socket() was given
     * it, or the type's own: TCP, UDP): a stack with more than one protocol of a type (ICMP
     * datagram sockets beside UDP's) tells them apart here.
     */
    default byte[] bind(int type, int protocol, SocketAddress address) throws ModuleException {
        return bind(type, address);
    }

    /** {@link #route(int, SocketAddress)} for a socket of {@code protocol}. */
    default byte[] route(int type, int protocol, SocketAddress address) throws ModuleException {
        return route(type, address);
    }

    /**
     * For a stream socket's connect to a name {@link #route} gave: completes when the stack's
     * connection there is made (a blocking connect waits for it, then goes on to the name), or
     * exceptionally with a {@link ModuleException} saying why it could not be (ECONNREFUSED,
     * ETIMEDOUT, EHOSTUNREACH...), which the connect returns. A stack whose names are reached
     * at once has it done at once.
     */
    default java.util.concurrent.CompletableFuture<Void> connection(byte[] name) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /**
     * Where an IPv4 connect or datagram to {@code address} goes when no IPv4 socket has its
     * port but an IPv6 one bound to the wildcard may (a dual-stack server): that socket's name,
     * or null if the stack has no dual stack.
     */
    default byte[] dualStack(int type, SocketAddress address) {
        return null;
    }

    /**
     * A socket bound to {@code local} (with {@link #bind}'s name) listens: a stack that carries
     * connections from elsewhere starts taking them for it. Nothing to do by default.
     */
    default void listen(int type, SocketAddress local) throws ModuleException {
    }

    /**
     * The address a socket that connects or sends to {@code destination} before it is bound is
     * bound to (port 0: a free one): by default the loopback, as for a stack that has no other.
     */
    default SocketAddress source(SocketAddress destination) {
        return SocketAddress.loopback(destination.family(), 0);
    }

    /**
     * rtnetlink RTM_NEWADDR and RTM_DELADDR ({@code ip addr add/del}) on interface {@code index}:
     * refused (EPERM) by a stack whose addresses are fixed, as the kernel refuses an ordinary user.
     */
    default void changeAddress(int index, NetworkInterface.Address address, boolean add) throws ModuleException {
        throw new ModuleException(Errno.EPERM);
    }

    /** rtnetlink RTM_NEWLINK/RTM_SETLINK with IFF_UP in its change mask ({@code ip link set up/down}); EPERM by default. */
    default void setUp(int index, boolean up) throws ModuleException {
        throw new ModuleException(Errno.EPERM);
    }

    /** Its routes in the main table, for rtnetlink ({@code ip route}): none by default. */
    default java.util.List<NetworkRoute> routes() {
        return java.util.List.of();
    }

    /**
     * rtnetlink RTM_NEWROUTE and RTM_DELROUTE ({@code ip route add/del}): refused (EPERM) by a
     * stack whose routes are fixed. A route to delete names its gateway and interface only if the
     * command did (null, 0).
     */
    default void changeRoute(NetworkRoute route, boolean add) throws ModuleException {
        throw new ModuleException(Errno.EPERM);
    }

    /** Its interfaces, for rtnetlink (ip link, ip addr, getifaddrs): none by default. */
    default java.util.List<NetworkInterface> interfaces() {
        return java.util.List.of();
    }

    /** The Internet address of the socket named {@code name} (one {@link #bind} gave), for a socket of {@code family}; null if none. */
    SocketAddress address(int family, byte[] name);
}
