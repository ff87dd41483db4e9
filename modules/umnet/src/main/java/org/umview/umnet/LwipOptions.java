package org.umview.umnet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.constants.platform.Errno;
import org.umview.module.ModuleException;

/** The interfaces a umnetlwipv6 mount asks for: {@code vdN=SWITCH}, {@code ipN=ADDRESS/PREFIX}, {@code slN}. */
final class LwipOptions {
    /** slirp's network, as qemu and slirpvde have it: the stack is 10.0.2.15, the host's loopback 10.0.2.2. */
    static final String SLIRP_ADDRESS = "10.0.2.15";
    static final String SLIRP_HOST = "10.0.2.2";
    /** The helper's interface numbers: vdN is N, slN is SLIRP_SLOTS + N; the rtnetlink index is 2 + that. */
    static final int SLIRP_SLOTS = 8;

    /** One interface: its name, the helper's number for it, its switch (a vdeplug URL), the IPv4 address the mount gave it, if any. */
    record Port(String name, int slot, String vdeSwitch, Inet4Address address, int prefix) {
        boolean slirp() {
            return slot >= SLIRP_SLOTS;
        }
    }

    private LwipOptions() {
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
    static Inet4Address ipv4(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }
}
