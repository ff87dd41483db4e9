package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.ModuleException;
import org.umview.module.NetworkInterface;
import org.umview.module.NetworkStack;
import org.umview.module.SocketAddress;
import org.umview.net.KernelSockets;
import org.umview.net.RouteNetlink;
import org.umview.net.SocketAddresses;
import org.umview.net.SocketTable;
import org.umview.net.VirtualSocket;
import org.umview.process.FdInfo;
import org.umview.process.ProcessState;
import org.umview.syscall.SyscallRequest;
import org.umview.view.Mount;
import org.umview.view.View;

/**
 * The socket calls where a process's default stack is a virtual one (see {@link NetworkStack}).
 * socket makes a Unix socket of the same type instead; the calls that name addresses (bind,
 * connect, sendto, sendmsg) are made to the names the stack gives, those that tell addresses
 * (getsockname, getpeername, accept, recvfrom, recvmsg) tell them in the program's family,
 * and the options of the IP and TCP levels are kept here. Everything else, data included, is
 * the kernel's. A call on a socket that is no virtual one returns null: it is decided as any other.
 */
final class SocketCalls {
    static final Set<String> CALLS = Set.of("socket", "bind", "connect", "listen", "accept", "accept4", "getsockname",
            "getpeername", "getsockopt", "setsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg");
    /** The calls of {@link #CALLS} that matter only with an address (their fifth argument). */
    static final Set<String> ADDRESSED = Set.of("sendto", "recvfrom");
    private static final int SOCK_TYPE_MASK = 0xf;
    private static final int O_NONBLOCK = 04000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_PROTOCOL = 38;
    private static final int SO_DOMAIN = 39;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int ADDRESS_MAX = 128;
    private static final int OPTION_MAX = 256;
    private static final int MSGHDR = 56;
    private static final int IOV_MAX = 1024;
    private static final int BIND_ATTEMPTS = 64;

    private final View view;
    private final TraceeMemory memory;
    private final SocketTable<VirtualSocket> sockets;
    private final java.util.Map<Mount, RouteNetlink> responders = new java.util.concurrent.ConcurrentHashMap<>();

    SocketCalls(View view, TraceeMemory memory, SocketTable<VirtualSocket> sockets) {
        this.view = view;
        this.memory = memory;
        this.sockets = sockets;
    }

    /** The stack sockets of {@code family} are made in for {@code process}: null for the host's. */
    Mount stackFor(ProcessState process, int family, int protocol) {
        Mount chosen = process.stackFor(family);
        if (chosen == null || !view.mounts().list().contains(chosen)) {
            chosen = view.defaultStack();
        }
        if (chosen == null) {
            return null;
        }
        NetworkStack stack = (NetworkStack) chosen.fileSystem();
        return stack.host() || !stack.serves(family, protocol) ? null : chosen;
    }

    /** socket(family, type, protocol). */
    Verdict socket(SyscallRequest request) {
        int family = (int) request.arg(0);
        int type = (int) request.arg(1) & SOCK_TYPE_MASK;
        int protocol = (int) request.arg(2);
        Mount mount = stackFor(request.process(), family, protocol);
        if (mount == null) {
            return null;
        }
        try {
            ((NetworkStack) mount.fileSystem()).socket(family, type, protocol);
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
        if (family == SocketAddresses.AF_NETLINK) {
            VirtualSocket socket = new VirtualSocket(mount, family, type, protocol);
            RouteNetlink responder = responders.computeIfAbsent(mount, m -> RouteNetlink.start((NetworkStack) m.fileSystem()));
            if (responder == null) {
                return Verdict.error(Errno.ENOMEM);
            }
            long flags = request.arg(1) & ~SOCK_TYPE_MASK;
            return Verdict.replace(Verdict.SAME_CALL, List.of(Verdict.ArgumentChange.value(0, SocketAddresses.AF_UNIX),
                    Verdict.ArgumentChange.value(1, NetworkStack.SOCK_DGRAM | flags), Verdict.ArgumentChange.value(2, 0)), fd -> {
                        if (fd >= 0 && responder.attach(request.tgid(), fd, socket.netlinkPort()) == 0) {
                            sockets.add(request.tid(), fd, socket);
                        }
                    });
        }
        int given = protocol != 0 ? protocol : type == NetworkStack.SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
        VirtualSocket socket = new VirtualSocket(mount, family, type, given);
        return Verdict.replace(Verdict.SAME_CALL, List.of(Verdict.ArgumentChange.value(0, SocketAddresses.AF_UNIX),
                Verdict.ArgumentChange.value(2, 0)), fd -> {
                    if (fd >= 0) {
                        sockets.add(request.tid(), fd, socket);
                    }
                });
    }

    /** A netlink socket is bound and connected from the start: bind and connect to the kernel (port 0) just succeed. */
    private Verdict netlinkAddress(SyscallRequest request) {
        boolean netlink = request.arg(2) >= 2 && family(request, request.arg(1)) == SocketAddresses.AF_NETLINK;
        return netlink ? Verdict.result(0) : Verdict.error(Errno.EINVAL);
    }

    Verdict bind(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        if (socket.netlink()) {
            return netlinkAddress(request);
        }
        SocketAddress address;
        try {
            address = address(request, socket, request.arg(1), request.arg(2));
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
        if (socket.local() != null) {
            return Verdict.error(Errno.EINVAL);
        }
        return Verdict.result(bindTo(request, socket, address));
    }

    /** Names the kernel socket as the stack says {@code address} is named: 0 or -errno. */
    private int bindTo(SyscallRequest request, VirtualSocket socket, SocketAddress address) {
        NetworkStack stack = socket.stack();
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            byte[] name;
            try {
                name = stack.bind(socket.type(), socket.protocol(), address);
            } catch (ModuleException e) {
                return -e.errno();
            }
            int result = KernelSockets.bind(request.tgid(), request.arg(0), SocketAddresses.abstractUnix(name));
            if (result == -Errno.EADDRINUSE && address.port() == 0) {
                continue; // the port the stack picked is taken: it picks another
            }
            if (result == 0) {
                SocketAddress named = stack.address(socket.family(), name);
                socket.bound(address.withPort(named != null ? named.port() : address.port()));
            }
            return result;
        }
        return -Errno.EADDRINUSE;
    }

    /** A socket that sends, connects or listens before it is bound gets a free port on {@code address}, as the kernel's does. */
    private int bindIfUnbound(SyscallRequest request, VirtualSocket socket, SocketAddress address) {
        return socket.local() != null ? 0 : bindTo(request, socket, address);
    }

    Verdict connect(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        if (socket.netlink()) {
            return netlinkAddress(request);
        }
        if (request.arg(2) >= 2 && family(request, request.arg(1)) == 0) {
            return Verdict.CONTINUE; // AF_UNSPEC: a datagram socket is disconnected, as the kernel does
        }
        byte[] name;
        SocketAddress address;
        try {
            address = address(request, socket, request.arg(1), request.arg(2));
            if (socket.stream() && socket.peer() != null) {
                return Verdict.error(Errno.EISCONN);
            }
            name = routed(socket, address);
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
        CompletableFuture<Void> made = socket.stream() ? socket.stack().connection(name) : CompletableFuture.completedFuture(null);
        int bound = bindIfUnbound(request, socket, socket.stack().source(address));
        if (bound < 0) {
            return Verdict.result(bound);
        }
        byte[] kernel = SocketAddresses.abstractUnix(name);
        Verdict toName = Verdict.replace(Verdict.SAME_CALL, List.of(new Verdict.ArgumentChange(1, 0, kernel),
                Verdict.ArgumentChange.value(2, kernel.length)), result -> {
                    if (result == 0) {
                        socket.connected(address);
                    }
                });
        return afterConnection(request, made, toName);
    }

    /**
     * A blocking connect waits for the stack's connection ({@link NetworkStack#connection}) and
     * fails as it did; a signal ends the wait (EINTR). A nonblocking one goes on at once (a
     * refusal then reads as the end of the connection).
     */
    private static Verdict afterConnection(SyscallRequest request, CompletableFuture<Void> made, Verdict toName) {
        if (made.isDone() && !made.isCompletedExceptionally()
                || (FdInfo.flags(request.tid(), (int) request.arg(0)) & O_NONBLOCK) != 0) {
            return toName;
        }
        CompletableFuture<Verdict> verdict = made.handle((ok, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            return cause == null ? toName : Verdict.error(cause instanceof ModuleException e ? e.errno() : Errno.ECONNREFUSED);
        });
        return Verdict.later(verdict, () -> verdict.complete(Verdict.error(Errno.EINTR)));
    }

    /** listen: a TCP socket listening unbound gets a free port, as the kernel's does. */
    Verdict listen(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        int bound = bindIfUnbound(request, socket, SocketAddress.any(socket.family()));
        if (bound < 0) {
            return Verdict.result(bound);
        }
        try {
            socket.stack().listen(socket.type(), socket.local());
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
        return Verdict.CONTINUE;
    }

    /** accept and accept4: the connection is a socket of the stack too; the peer's address is told in the program's family. */
    Verdict accept(SyscallRequest request) {
        VirtualSocket listening = sockets.of(request.tid(), request.arg(0));
        if (listening == null) {
            return null;
        }
        long address = request.arg(1);
        long length = request.arg(2);
        int room = address != 0 ? readInt(request, length) : 0;
        return Verdict.filter(fd -> {
            if (fd < 0) {
                return fd;
            }
            int[] error = new int[1];
            byte[] peer = KernelSockets.name(request.tgid(), fd, true, error);
            byte[] name = peer == null ? null : SocketAddresses.abstractName(peer, peer.length);
            SocketAddress from = name == null ? null : listening.stack().address(listening.family(), name);
            if (from == null) {
                from = SocketAddress.any(listening.family());
            }
            sockets.add(request.tid(), fd, listening.accepted(from));
            if (address != 0 && room >= 0) {
                tell(request, address, length, room, SocketAddresses.encode(from));
            }
            return fd;
        });
    }

    Verdict getsockname(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        if (socket.netlink()) {
            return answer(request, request.arg(1), request.arg(2), netlinkAddress(socket.netlinkPort()));
        }
        SocketAddress local = socket.local();
        return answer(request, request.arg(1), request.arg(2),
                SocketAddresses.encode(local != null ? local : SocketAddress.any(socket.family())));
    }

    /** SIOCGIFNAME and SIOCGIFINDEX: glibc's if_indextoname and if_nametoindex, on any socket (an AF_UNIX one). */
    static final Set<Long> INTERFACE_IOCTLS = Set.of(0x8910L, 0x8933L);
    private static final long SIOCGIFINDEX = 0x8933L;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ = 40;

    /**
     * An interface's index by its name, or its name by its index, asked on any socket by a process
     * whose stack is a virtual one: that stack's interfaces (they name the links a scope id
     * {@code %vd0} means). Null for a process on the host's stack.
     */
    Verdict interfaceIoctl(SyscallRequest request) {
        long command = request.arg(1) & 0xffffffffL;
        Mount mount = INTERFACE_IOCTLS.contains(command) ? stackFor(request.process(), SocketAddress.AF_INET, 0) : null;
        if (mount == null) {
            return null;
        }
        ByteBuffer ifreq;
        try {
            ifreq = ByteBuffer.wrap(memory.read(request.tid(), request.arg(2), IFREQ)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (RuntimeException e) {
            return Verdict.error(Errno.EFAULT);
        }
        int end = 0;
        while (end < IFNAMSIZ && ifreq.get(end) != 0) {
            end++;
        }
        String name = new String(ifreq.array(), 0, end, java.nio.charset.StandardCharsets.US_ASCII);
        int index = ifreq.getInt(IFNAMSIZ);
        NetworkInterface link = ((NetworkStack) mount.fileSystem()).interfaces().stream()
                .filter(l -> command == SIOCGIFINDEX ? l.name().equals(name) : l.index() == index).findFirst().orElse(null);
        if (link == null) {
            return Verdict.error(Errno.ENODEV);
        }
        if (command == SIOCGIFINDEX) {
            ifreq.putInt(IFNAMSIZ, link.index());
        } else {
            ifreq.put(0, java.util.Arrays.copyOf(link.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII), IFNAMSIZ - 1));
        }
        memory.write(request.tid(), request.arg(2), ifreq.array());
        return Verdict.result(0);
    }

    Verdict getpeername(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        if (socket.netlink()) {
            return answer(request, request.arg(1), request.arg(2), netlinkAddress(0));
        }
        SocketAddress peer = socket.peer();
        return peer == null ? Verdict.error(Errno.ENOTCONN)
                : answer(request, request.arg(1), request.arg(2), SocketAddresses.encode(peer));
    }

    /** getsockopt(fd, level, name, value, length): SO_DOMAIN and SO_PROTOCOL are the program's; IP levels are kept here. */
    Verdict getsockopt(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        int level = (int) request.arg(1);
        int name = (int) request.arg(2);
        byte[] value;
        if (level == SOL_SOCKET) {
            if (name != SO_DOMAIN && name != SO_PROTOCOL && name != SO_TYPE) {
                return Verdict.CONTINUE;
            }
            value = intBytes(name == SO_DOMAIN ? socket.family() : name == SO_TYPE ? socket.type() : socket.protocol());
        } else {
            value = socket.option(level, name);
            if (value == null) {
                value = intBytes(0);
            }
        }
        int room = readInt(request, request.arg(4));
        if (room < 0) {
            return Verdict.error(room == -1 ? Errno.EFAULT : Errno.EINVAL);
        }
        try {
            memory.write(request.tid(), request.arg(3), java.util.Arrays.copyOf(value, Math.min(room, value.length)));
            memory.write(request.tid(), request.arg(4), intBytes(Math.min(room, value.length)));
        } catch (RuntimeException e) {
            return Verdict.error(Errno.EFAULT);
        }
        return Verdict.result(0);
    }

    Verdict setsockopt(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        if (request.arg(1) == SOL_SOCKET) {
            return Verdict.CONTINUE;
        }
        long length = request.arg(4);
        if (length < 0 || length > OPTION_MAX) {
            return Verdict.error(Errno.EINVAL);
        }
        try {
            socket.setOption((int) request.arg(1), (int) request.arg(2), memory.read(request.tid(), request.arg(3), (int) length));
        } catch (RuntimeException e) {
            return Verdict.error(Errno.EFAULT);
        }
        return Verdict.result(0);
    }

    /** sendto(fd, buffer, length, flags, address, addressLength). */
    Verdict sendto(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        if (request.arg(4) == 0) {
            return Verdict.CONTINUE;
        }
        if (socket.stream() || socket.netlink()) {
            // TCP takes no address on a connected socket, a Unix socket would refuse it; netlink goes to the responder.
            return Verdict.rewrite(List.of(Verdict.ArgumentChange.value(4, 0), Verdict.ArgumentChange.value(5, 0)));
        }
        byte[] kernel;
        try {
            kernel = datagramName(request, socket, request.arg(4), request.arg(5));
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
        long length = request.arg(2);
        return new Verdict.Rewrite(Verdict.SAME_CALL, List.of(new Verdict.ArgumentChange(4, 0, kernel),
                Verdict.ArgumentChange.value(5, kernel.length)), null, sent(length));
    }

    /** sendmsg(fd, msghdr, flags): a datagram's address is the stack's name in a copy of the msghdr. */
    Verdict sendmsg(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        ByteBuffer header;
        try {
            header = ByteBuffer.wrap(memory.read(request.tid(), request.arg(1), MSGHDR)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (RuntimeException e) {
            return Verdict.CONTINUE; // the kernel answers EFAULT
        }
        long name = header.getLong(0);
        if (name == 0) {
            return Verdict.CONTINUE;
        }
        long[] fields = new long[MSGHDR / 8];
        byte[][] pointed = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = header.getLong(8 * i);
        }
        if (socket.netlink()) {
            fields[0] = 0; // to the responder, which the socket is connected to
            fields[1] = 0;
            return Verdict.rewrite(List.of(Verdict.ArgumentChange.pointers(1, new Verdict.PointerArray(fields, pointed))));
        }
        byte[] kernel;
        try {
            if (socket.stream()) {
                return Verdict.error(Errno.EISCONN);
            }
            kernel = datagramName(request, socket, name, Integer.toUnsignedLong(header.getInt(8)));
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
        pointed[0] = kernel;
        fields[1] = kernel.length;
        return new Verdict.Rewrite(Verdict.SAME_CALL, List.of(Verdict.ArgumentChange.pointers(1,
                new Verdict.PointerArray(fields, pointed))), null, sent(messageLength(request, fields[2], fields[3])));
    }

    /** recvfrom(fd, buffer, length, flags, address, addressLength): the sender's address in the program's family. */
    Verdict recvfrom(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        if (request.arg(4) == 0) {
            return Verdict.CONTINUE;
        }
        long address = request.arg(4);
        long length = request.arg(5);
        int room = readInt(request, length);
        if (room < 0) {
            return Verdict.CONTINUE; // the kernel answers EFAULT or EINVAL
        }
        return Verdict.filter(result -> {
            if (result >= 0) {
                translate(request, socket, address, length, room, readInt(request, length));
            }
            return result;
        });
    }

    Verdict recvmsg(SyscallRequest request) {
        VirtualSocket socket = sockets.of(request.tid(), request.arg(0));
        if (socket == null) {
            return null;
        }
        long header = request.arg(1);
        ByteBuffer fields;
        try {
            fields = ByteBuffer.wrap(memory.read(request.tid(), header, 16)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (RuntimeException e) {
            return Verdict.CONTINUE;
        }
        long address = fields.getLong(0);
        int room = fields.getInt(8);
        if (address == 0) {
            return Verdict.CONTINUE;
        }
        return Verdict.filter(result -> {
            if (result >= 0) {
                translate(request, socket, address, header + 8, room, readInt(request, header + 8));
            }
            return result;
        });
    }

    /** The kernel wrote a sender's Unix name ({@code written} bytes) where the program wants an Internet address. */
    private void translate(SyscallRequest request, VirtualSocket socket, long address, long length, int room, int written) {
        if (socket.netlink()) {
            tell(request, address, length, room, netlinkAddress(0)); // from the kernel
            return;
        }
        if (written <= 0) {
            return;
        }
        try {
            byte[] raw = memory.read(request.tid(), address, Math.min(room, written));
            byte[] name = SocketAddresses.abstractName(raw, raw.length);
            SocketAddress from = name == null ? null : socket.stack().address(socket.family(), name);
            if (from != null) {
                tell(request, address, length, room, SocketAddresses.encode(from));
            }
        } catch (RuntimeException e) {
            // the program's buffer went away meanwhile: it gets what the kernel wrote
        }
    }

    /** The stack's name for a datagram to the address at {@code address}; an unbound sender is bound first. */
    private byte[] datagramName(SyscallRequest request, VirtualSocket socket, long address, long length) throws ModuleException {
        SocketAddress to = address(request, socket, address, length);
        byte[] name = routed(socket, to);
        int bound = bindIfUnbound(request, socket, socket.stack().source(to));
        if (bound < 0) {
            throw new ModuleException(-bound);
        }
        return SocketAddresses.abstractUnix(name);
    }

    /**
     * The name a connect or datagram to {@code to} goes to: the stack's route, or, for IPv4 to a
     * port no IPv4 socket has, an IPv6 socket of the wildcard's that has it (a dual-stack server).
     */
    private static byte[] routed(VirtualSocket socket, SocketAddress to) throws ModuleException {
        byte[] name = socket.stack().route(socket.type(), socket.protocol(), to);
        if (to.ipv4() && !KernelSockets.named(SocketAddresses.abstractUnix(name), socket.type())) {
            byte[] dual = socket.stack().dualStack(socket.type(), to);
            if (dual != null && KernelSockets.named(SocketAddresses.abstractUnix(dual), socket.type())) {
                return dual;
            }
        }
        return name;
    }

    /** A datagram to a port nobody has is lost, as UDP's is: the sender is told it went. */
    private static java.util.function.LongUnaryOperator sent(long length) {
        return result -> result == -Errno.ECONNREFUSED ? length : result;
    }

    private long messageLength(SyscallRequest request, long iov, long count) {
        if (iov == 0 || count <= 0 || count > IOV_MAX) {
            return 0;
        }
        try {
            ByteBuffer vectors = ByteBuffer.wrap(memory.read(request.tid(), iov, (int) count * 16)).order(ByteOrder.LITTLE_ENDIAN);
            long total = 0;
            for (int i = 0; i < count; i++) {
                total += vectors.getLong(16 * i + 8);
            }
            return total;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The Internet address a program passed for {@code socket}: EINVAL if too short, EAFNOSUPPORT of another family. */
    private SocketAddress address(SyscallRequest request, VirtualSocket socket, long address, long length) throws ModuleException {
        if (length < 2 || length > ADDRESS_MAX) {
            throw new ModuleException(Errno.EINVAL);
        }
        byte[] raw;
        try {
            raw = memory.read(request.tid(), address, (int) length);
        } catch (RuntimeException e) {
            throw new ModuleException(Errno.EFAULT);
        }
        SocketAddress decoded = SocketAddresses.decode(raw, socket.family());
        if (decoded == null) {
            int given = Short.toUnsignedInt(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getShort(0));
            throw new ModuleException(given == socket.family() ? Errno.EINVAL : Errno.EAFNOSUPPORT);
        }
        return decoded;
    }

    private int family(SyscallRequest request, long address) {
        try {
            return Short.toUnsignedInt(ByteBuffer.wrap(memory.read(request.tid(), address, 2)).order(ByteOrder.LITTLE_ENDIAN).getShort(0));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Answers a call that tells an address (getsockname, getpeername). */
    private Verdict answer(SyscallRequest request, long address, long length, byte[] value) {
        int room = readInt(request, length);
        if (room < 0) {
            return Verdict.error(room == -1 ? Errno.EFAULT : Errno.EINVAL);
        }
        return tell(request, address, length, room, value) ? Verdict.result(0) : Verdict.error(Errno.EFAULT);
    }

    /** Writes address {@code raw} where the program has {@code room} bytes, and its whole length, as the kernel does. */
    private boolean tell(SyscallRequest request, long address, long length, int room, byte[] raw) {
        try {
            memory.write(request.tid(), address, java.util.Arrays.copyOf(raw, Math.min(room, raw.length)));
            memory.write(request.tid(), length, intBytes(raw.length));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The int at {@code address}: -1 if it cannot be read, -2 if negative. */
    private int readInt(SyscallRequest request, long address) {
        try {
            int value = ByteBuffer.wrap(memory.read(request.tid(), address, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
            return value < 0 ? -2 : value;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** A sockaddr_nl of port {@code port} (0: the kernel). */
    private static byte[] netlinkAddress(int port) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) SocketAddresses.AF_NETLINK).putShort((short) 0)
                .putInt(port).putInt(0).array();
    }

    private static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
