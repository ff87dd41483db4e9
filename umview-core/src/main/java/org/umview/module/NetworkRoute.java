package org.umview.module;

import java.net.InetAddress;

/**
 * A route of a network stack as {@code ip route} shows and changes it (rtnetlink's RTM_NEWROUTE):
 * packets to {@code destination}/{@code prefix} leave by interface {@code index}, to
 * {@code gateway} (null: on the link); {@code protocol} is who made it (RTPROT_*), {@code source}
 * the address the stack sends from (null: none said).
 */
public record NetworkRoute(int family, InetAddress destination, int prefix, InetAddress gateway, int index, int protocol,
        int scope, InetAddress source) {
    /** Made by the stack for an address of its own; by {@code ip route add} (its default). */
    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3;

    /** Whether {@code address} is in the route's destination network. */
    public boolean covers(InetAddress address) {
        byte[] network = destination.getAddress();
        byte[] target = address.getAddress();
        if (network.length != target.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((network[bit / 8] & mask) != (target[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
