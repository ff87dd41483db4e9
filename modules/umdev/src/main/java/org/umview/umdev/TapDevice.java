package org.umview.umdev;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.libc.Native;
import org.umview.libc.ProcessControl;
import org.umview.module.ConnectedFile;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;

/**
 * umdevtap: a {@code /dev/net/tun} whose TAP interfaces are ports of a VDE switch. Each open is a
 * {@link ConnectedFile}: the program's descriptor is a Unix SOCK_SEQPACKET socket, so its reads
 * and writes (one Ethernet frame each), poll and blocking are the kernel's; TUNSETIFF plugs the
 * interface into the switch with Debian's {@code vde_plug} (its stdin and stdout carry the frames,
 * each after its length in two bytes), whose frames two threads carry to and from the socket.
 */
final class TapDevice implements FileSystem {
    private static final Logger LOG = LoggerFactory.getLogger(TapDevice.class);
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNGETIFF = 0x800454d2L;
    static final long TUNGETFEATURES = 0x800454cfL;
    static final long SIOCGIFHWADDR = 0x8927L;
    private static final int IFF_TUN = 0x0001;
    private static final int IFF_TAP = 0x0002;
    private static final int IFF_NO_PI = 0x1000;
    private static final int IFF_VNET_HDR = 0x4000;
    private static final int IFREQ = 40;
    private static final int IFNAMSIZ = 16;
    private static final int ARPHRD_ETHER = 1;
    private static final long SENDTO = 44;
    private static final long RECVFROM = 45;
    private static final long SHUTDOWN = 48;
    private static final int SHUT_RDWR = 2;
    private static final int FRAME = 65536;
    /** A packet-information header (flags, protocol) before each frame, unless IFF_NO_PI. */
    private static final int PI = 4;

    private final String vdeSwitch;
    private final FileAttributes attributes;
    private final AtomicInteger interfaces = new AtomicInteger();
    private final List<Tap> taps = new CopyOnWriteArrayList<>();

    TapDevice(String vdeSwitch, FileAttributes attributes) {
        this.vdeSwitch = vdeSwitch;
        this.attributes = attributes;
    }

    @Override
    public Set<Long> connectedIoctls() {
        return Set.of(TUNSETIFF, TUNGETIFF, TUNGETFEATURES, SIOCGIFHWADDR);
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        if (!path.equals("/")) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        return attributes;
    }

    @Override
    public void access(String path, int mode) throws ModuleException {
        stat(path, true);
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        stat(path, true);
        Tap tap = new Tap();
        taps.add(tap);
        return tap;
    }

    @Override
    public void unmount() {
        taps.forEach(Tap::close);
    }

    /** One open of the device: an interface once TUNSETIFF has named it. */
    private final class Tap implements ConnectedFile {
        private volatile int end = -1;
        private volatile String name;
        private volatile int flags;
        private final byte[] hardwareAddress = new byte[6];
        private volatile Process plug;
        /** The threads that carry frames: the last to end closes the module's end (a number one of them might still use). */
        private final AtomicInteger carriers = new AtomicInteger();

        @Override
        public void connected(int end) {
            this.end = end;
        }

        @Override
        public FileAttributes stat() {
            return attributes;
        }

        @Override
        public int ioctlArgumentSize(long request) {
            return request == TUNSETIFF || request == TUNGETIFF || request == SIOCGIFHWADDR ? IFREQ
                    : request == TUNGETFEATURES ? 4 : -1;
        }

        @Override
        public synchronized long ioctl(long request, ByteBuffer ifreq) throws ModuleException {
            if (request == TUNGETFEATURES) {
                ifreq.putInt(0, IFF_TAP | IFF_NO_PI);
                return 0;
            }
            if (request == TUNSETIFF) {
                return setInterface(ifreq);
            }
            if (name == null) {
                throw new ModuleException(Errno.EBADFD);
            }
            putName(ifreq);
            if (request == TUNGETIFF) {
                ifreq.putShort(IFNAMSIZ, (short) flags);
            } else { // SIOCGIFHWADDR: a struct sockaddr after the name
                ifreq.putShort(IFNAMSIZ, (short) ARPHRD_ETHER);
                ifreq.put(IFNAMSIZ + 2, hardwareAddress);
            }
            return 0;
        }

        private long setInterface(ByteBuffer ifreq) throws ModuleException {
            int asked = Short.toUnsignedInt(ifreq.getShort(IFNAMSIZ));
            if (name != null) {
                throw new ModuleException(Errno.EBUSY);
            }
            if ((asked & IFF_TUN) != 0 || (asked & IFF_TAP) == 0) {
                throw new ModuleException(Errno.EINVAL, "umdevtap: TAP interfaces only (IFF_TAP)");
            }
            if ((asked & IFF_VNET_HDR) != 0) {
                throw new ModuleException(Errno.EINVAL, "umdevtap: no IFF_VNET_HDR");
            }
            byte[] raw = new byte[IFNAMSIZ];
            ifreq.get(0, raw);
            int length = 0;
            while (length < IFNAMSIZ && raw[length] != 0) {
                length++;
            }
            String wanted = new String(raw, 0, length, StandardCharsets.US_ASCII);
            flags = asked;
            name = wanted.isEmpty() || wanted.contains("%d") ? (wanted.isEmpty() ? "tap%d" : wanted)
                    .replace("%d", Integer.toString(interfaces.getAndIncrement())) : wanted;
            new java.security.SecureRandom().nextBytes(hardwareAddress);
            hardwareAddress[0] = (byte) ((hardwareAddress[0] & 0xfe) | 0x02); // unicast, locally administered
            try {
                plug = new ProcessBuilder("vde_plug", vdeSwitch).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                name = null;
                throw new ModuleException(Errno.ENOENT, "umdevtap: cannot start vde_plug (Debian package vdeplug): " + e.getMessage());
            }
            boolean information = (asked & IFF_NO_PI) == 0;
            carriers.set(2);
            start("umview-tap-out-" + name, () -> toSwitch(plug.getOutputStream(), information));
            start("umview-tap-in-" + name, () -> fromSwitch(plug.getInputStream(), information));
            putName(ifreq);
            return 0;
        }

        private void putName(ByteBuffer ifreq) {
            byte[] bytes = java.util.Arrays.copyOf(name.getBytes(StandardCharsets.US_ASCII), IFNAMSIZ);
            bytes[IFNAMSIZ - 1] = 0;
            ifreq.put(0, bytes);
        }

        private void start(String thread, Runnable work) {
            Thread t = new Thread(() -> {
                work.run();
                if (carriers.decrementAndGet() == 0) {
                    Native.processControl().close(end);
                }
            }, thread);
            t.setDaemon(true);
            t.start();
        }

        /** The program's frames (one message each) to the switch, until it closes its end. */
        private void toSwitch(OutputStream out, boolean information) {
            ProcessControl pc = Native.processControl();
            Pointer buffer = Native.allocate(FRAME);
            byte[] frame = new byte[FRAME];
            try {
                while (true) {
                    long length = pc.syscall(RECVFROM, end, buffer.address(), FRAME, 0, 0, 0);
                    if (length < 0 && Native.errno() == Errno.EINTR) {
                        continue;
                    }
                    if (length <= 0) {
                        break;
                    }
                    int skip = information ? Math.min(PI, (int) length) : 0;
                    buffer.get(skip, frame, 0, (int) length - skip);
                    int size = (int) length - skip;
                    out.write(new byte[] {(byte) (size >> 8), (byte) size});
                    out.write(frame, 0, size);
                    out.flush();
                }
            } catch (IOException e) {
                LOG.debug("umdevtap {}: vde_plug is gone: {}", name, e.getMessage());
            }
            close();
        }

        /** The switch's frames to the program, one message each. */
        private void fromSwitch(InputStream in, boolean information) {
            ProcessControl pc = Native.processControl();
            Pointer buffer = Native.allocate(FRAME + PI);
            DataInputStream frames = new DataInputStream(in);
            byte[] frame = new byte[FRAME];
            try {
                while (true) {
                    int size = frames.readUnsignedShort();
                    frames.readFully(frame, 0, size);
                    int at = 0;
                    if (information) { // flags 0, then the frame's ethertype, as the tun driver writes them
                        buffer.putShort(0, (short) 0);
                        buffer.put(2, size >= 14 ? new byte[] {frame[12], frame[13]} : new byte[2], 0, 2);
                        at = PI;
                    }
                    buffer.put(at, frame, 0, size);
                    long sent = pc.syscall(SENDTO, end, buffer.address(), at + size, 0, 0, 0);
                    if (sent < 0 && Native.errno() != Errno.EINTR && Native.errno() != Errno.ENOBUFS) {
                        break;
                    }
                }
            } catch (IOException e) {
                LOG.debug("umdevtap {}: the switch's side ended: {}", name, e.getMessage());
            }
            close();
        }

        /** The interface goes: vde_plug ends, and the program's end reads an end of file. */
        @Override
        public synchronized void close() {
            Process running = plug;
            plug = null;
            if (running != null) {
                running.destroy();
                Native.processControl().syscall(SHUTDOWN, end, SHUT_RDWR, 0);
            } else if (end >= 0 && taps.contains(this)) {
                Native.processControl().close(end); // never plugged in: no carrier uses it
            }
            taps.remove(this);
        }
    }
}
