package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * umnetlwipv6 (issue 15, first part): two views, each with its own LWIPv6 stack on one
 * vde_switch the test starts (as the ordinary user, in its own directory, killed at the end),
 * exchange 16 MB over TCP. Traffic stays on that switch: no other address is ever tried.
 */
class LwipStackTest {
    private static final String PACKAGES = "vde2 vdeplug liblwipv6-2 libvdeplug-dev";
    private final Sandbox sandbox = Sandbox.get();

    /** A script run natively as the ordinary user, with umview and the in-view commands on its PATH. */
    private Commands.Result inShell(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", "PATH=" + sandbox.umview.getParent() + ":$PATH; " + script));
    }

    @Test
    void twoViewsOnOneVdeSwitchExchangeSixteenMegabytesOverTcp() {
        Sandbox.require(PACKAGES, "vde_switch");
        for (String library : List.of("/usr/lib/liblwipv6.so.2", "/usr/lib/x86_64-linux-gnu/libvdeplug.so")) {
            assertTrue(new java.io.File(library).exists(), library + " is missing (Debian packages: " + PACKAGES + ")");
        }
        Path dir = sandbox.work.resolve("lwip-" + System.nanoTime());
        String program = sandbox.resource("tcp_digest.py").toString();
        String stack = "mount -t umnetlwipv6 -o vd0=" + dir + "/switch,ip0=IP/24 none /dev/net/lw || exit 9; ";
        String script = "mkdir -p " + dir + " && cd " + dir + " && vde_switch -d -s " + dir + "/switch -M " + dir + "/mgmt -p "
                + dir + "/pid || exit 8; trap 'kill $(cat " + dir + "/pid)' EXIT; "
                // the server's stack configured as on a Linux machine, the client's by the mount's options
                + "umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/switch none /dev/net/lw || exit 9;"
                + " mstack /dev/net/lw ip addr add 10.77.0.1/24 dev vd0 && mstack /dev/net/lw ip link set vd0 up || exit 7;"
                + " mstack /dev/net/lw ip -4 -o addr show vd0 | tr -s \" \" |"
                + " cut -d\" \" -f2,4; exec mstack /dev/net/lw timeout 90 python3 " + program + " serve 5001' > server.out 2>&1 &"
                + " for i in $(seq 100); do grep -q listening server.out 2>/dev/null && break; sleep 0.1; done; "
                // 3,000 random frames on the switch first: the stack that gets them must go on serving.
                + "python3 " + sandbox.resource("random_frames.py") + " 3000 | timeout 30 vde_plug " + dir + "/switch >/dev/null; "
                + "umview bash -c '" + stack.replace("IP", "10.77.0.2") + "mstack /dev/net/lw python3 -c \"import socket;"
                + " print(\\\"off the links:\\\", socket.socket().connect_ex((\\\"10.78.0.1\\\", 80)));"
                + " print(\\\"a closed port:\\\", socket.socket().connect_ex((\\\"10.77.0.1\\\", 5002)))\";"
                + " mstack /dev/net/lw timeout 90 python3 " + program + " send 10.77.0.1 5001 16777216'; wait; cat server.out";
        Commands.Result result = inShell(script)
                .assertSuccess("two LWIPv6 stacks");
        String[] lines = result.stdout().split("\n");
        assertEquals("off the links: 101", lines[0], result.toString()); // ENETUNREACH, decided in the view: nothing is sent
        assertEquals("a closed port: 111", lines[1], result.toString()); // ECONNREFUSED: the peer's RST, waited for
        assertTrue(lines[2].startsWith("same 10.77.0.2 ('10.77.0.1', 5001) "), result.toString());
        assertEquals(List.of("vd0 10.77.0.1/24", "listening", "served 16777216"), List.of(lines).subList(3, 6), result.toString());
    }

    /**
     * Many one-byte messages both ways on one connection (they stalled the relay), then a view
     * started again with the same address connects at once (LWIPv6 gave it the same port as last
     * time, whose connection the server still held in TIME_WAIT), and both see the server's close.
     */
    @Test
    void smallMessagesBothWaysAndAViewStartedAgainWithItsAddress() {
        Sandbox.require(PACKAGES, "vde_switch");
        Path dir = sandbox.work.resolve("lwip-trips-" + System.nanoTime());
        String program = sandbox.resource("tcp_trips.py").toString();
        String stack = "mount -t umnetlwipv6 -o vd0=" + dir + "/switch,ip0=IP/24 none /dev/net/lw || exit 9; exec mstack /dev/net/lw ";
        String client = "umview bash -c '" + stack.replace("IP", "10.77.3.2") + "timeout 60 python3 " + program + " trips 10.77.3.1 5400 ";
        String script = "mkdir -p " + dir + " && cd " + dir + " && vde_switch -d -s " + dir + "/switch -M " + dir + "/mgmt -p "
                + dir + "/pid || exit 8; trap 'kill $(cat " + dir + "/pid)' EXIT; "
                + "umview bash -c '" + stack.replace("IP", "10.77.3.1") + "timeout 90 python3 " + program + " serve 5400 2' > server.out 2>&1 &"
                + " for i in $(seq 100); do grep -q listening server.out 2>/dev/null && break; sleep 0.1; done; "
                + client + "3000'; " + client + "200'; wait; cat server.out";
        String out = inShell(script)
                .assertSuccess("round trips between two LWIPv6 stacks").stdout();
        assertEquals("3000 round trips\nend\n200 round trips\nend\nlistening\nserved 2\n", out);
    }

    /**
     * Two switches joined by a wire that loses 10% of the frames the data goes in (dpipe,
     * vde_plug, wirefilter -l RL10): the data still arrives whole. LWIPv6's TCP recovers a loss in
     * a second or more (no SACK, one retransmission per timeout, backed off), so the transfer is
     * small (64 KB: 6-7 s), and the answer's way is not lossy: with 10% lost both ways, its last
     * segments were now and then retransmitted past a 100 s wait.
     */
    @Test
    void aTransferThroughALossyWireArrivesWhole() {
        Sandbox.require(PACKAGES, "vde_switch", "wirefilter", "dpipe", "vde_plug");
        Path dir = sandbox.work.resolve("lwip-lossy-" + System.nanoTime());
        String program = sandbox.resource("tcp_digest.py").toString();
        String stack = "mount -t umnetlwipv6 -o vd0=" + dir + "/SWITCH,ip0=IP/24 none /dev/net/lw || exit 9; exec mstack /dev/net/lw ";
        String script = "mkdir -p " + dir + " && cd " + dir + " && vde_switch -d -s a -M ma -p pa && vde_switch -d -s b -M mb -p pb || exit 8;"
                + " dpipe vde_plug a = wirefilter -l RL10 = vde_plug b 2>/dev/null & wire=$!;"
                + " trap 'kill $wire $(cat pa pb)' EXIT; "
                + "umview bash -c '" + stack.replace("SWITCH", "a").replace("IP", "10.77.4.1") + "timeout 110 python3 " + program
                + " serve 5500 100' > server.out 2>&1 & server=$!;"
                + " for i in $(seq 100); do grep -q listening server.out 2>/dev/null && break; sleep 0.1; done; "
                + "umview bash -c '" + stack.replace("SWITCH", "b").replace("IP", "10.77.4.2") + "timeout 110 python3 " + program
                + " send 10.77.4.1 5500 65536 100'; wait $server; cat server.out";
        Commands.Result result = inShell(script)
                .assertSuccess("TCP through a lossy wire");
        String[] lines = result.stdout().split("\n");
        assertTrue(lines[0].startsWith("same 10.77.4.2 ('10.77.4.1', 5500) "), result.toString());
        assertEquals(List.of("listening", "served 65536"), List.of(lines).subList(1, 3), result.toString());
    }

    /**
     * Routes as on Linux: a view with two interfaces on two switches and {@code forward} is the
     * router; each end view adds its route with {@code ip route add} (a default route, a network's),
     * sees it in {@code ip route}, reaches the other end's TCP server through the router, and
     * deletes it; the kernel's errors for a route twice, a gateway off the links, none such.
     */
    @Test
    void routesThroughARouterViewShownAddedAndDeletedWithIpRoute() {
        Sandbox.require(PACKAGES, "vde_switch", "ip");
        Path dir = sandbox.work.resolve("lwip-route-" + System.nanoTime());
        String program = sandbox.resource("tcp_digest.py").toString();
        String mount = "mount -t umnetlwipv6 -o OPTIONS none /dev/net/lw || exit 9; ";
        String ip = "mstack /dev/net/lw ip ";
        String script = "mkdir -p " + dir + " && cd " + dir + " && vde_switch -d -s s1 -M m1 -p p1 && vde_switch -d -s s2 -M m2 -p p2 || exit 8;"
                + " trap 'kill $(cat p1 p2)' EXIT; "
                + "umview bash -c '" + mount.replace("OPTIONS", "vd0=" + dir + "/s1,ip0=10.77.6.254/24,vd1=" + dir + "/s2,ip1=10.77.7.254/24,forward")
                + ip + "route; sleep 110' > router.out 2>&1 & router=$!; "
                + "umview bash -c '" + mount.replace("OPTIONS", "vd0=" + dir + "/s2,ip0=10.77.7.1/24") + ip + "route add default via 10.77.7.254 && "
                + ip + "route; exec mstack /dev/net/lw timeout 110 python3 " + program + " serve 5600 100' > server.out 2>&1 &"
                + " for i in $(seq 100); do grep -q listening server.out 2>/dev/null && break; sleep 0.1; done; "
                + "umview bash -c '" + mount.replace("OPTIONS", "vd0=" + dir + "/s1,ip0=10.77.6.1/24")
                + "mstack /dev/net/lw python3 -c \"import socket; print(\\\"before:\\\", socket.socket().connect_ex((\\\"10.77.7.1\\\", 5600)))\"; "
                + ip + "route add 10.77.7.0/24 via 10.77.6.254; echo added $?; " + ip + "route add 10.77.7.0/24 via 10.77.6.254; echo again $?; "
                + ip + "route add 10.77.9.0/24 via 10.77.8.1; echo off the links $?; " + ip + "route; "
                + "mstack /dev/net/lw timeout 110 python3 " + program + " send 10.77.7.1 5600 262144 100 | cut -d\" \" -f1-4; "
                + ip + "route del 10.77.7.0/24; echo deleted $?; " + ip + "route del 10.77.7.0/24; echo none such $?; " + ip + "route' 2>&1;"
                + " wait %2; kill $router; cat server.out router.out";
        String out = inShell(script)
                .assertSuccess("routes through a router view").stdout();
        assertEquals("""
                before: 101
                added 0
                RTNETLINK answers: File exists
                again 2
                RTNETLINK answers: Network is unreachable
                off the links 2
                10.77.6.0/24 dev vd0 proto kernel scope link src 10.77.6.1\s
                10.77.7.0/24 via 10.77.6.254 dev vd0\s
                same 10.77.6.1 ('10.77.7.1', 5600)
                deleted 0
                RTNETLINK answers: No such process
                none such 2
                10.77.6.0/24 dev vd0 proto kernel scope link src 10.77.6.1\s
                10.77.7.0/24 dev vd0 proto kernel scope link src 10.77.7.1\s
                default via 10.77.7.254 dev vd0\s
                listening
                served 262144
                10.77.6.0/24 dev vd0 proto kernel scope link src 10.77.6.254\s
                10.77.7.0/24 dev vd1 proto kernel scope link src 10.77.7.254\s
                """, out);
    }

    /**
     * IPv6 routes as on Linux: the router view forwards between two switches, one end adds a
     * network's route and the other a default route with ip -6 route add ... via; ping -6 and TCP
     * cross the router, and the route is deleted.
     */
    @Test
    void ipv6RoutesThroughARouterView() {
        Sandbox.require(PACKAGES + " iputils-ping", "vde_switch", "ip", "ping");
        Path dir = sandbox.work.resolve("lwip-route6-" + System.nanoTime());
        String program = "mstack /dev/net/lw timeout 30 python3 " + sandbox.resource("tcp_hello.py");
        String ip = "mstack /dev/net/lw ip ";
        String view = "umview bash -c 'mount -t umnetlwipv6 -o OPTIONS none /dev/net/lw || exit 9; ";
        String script = "mkdir -p " + dir + " && cd " + dir + " && vde_switch -d -s s1 -M m1 -p p1 && vde_switch -d -s s2 -M m2 -p p2 || exit 8;"
                + " trap 'kill $(cat p1 p2)' EXIT; "
                + view.replace("OPTIONS", "vd0=" + dir + "/s1,vd1=" + dir + "/s2,forward") + ip + "link set vd0 up; " + ip + "link set vd1 up; "
                + ip + "-6 addr add fd00:76::fe/64 dev vd0; " + ip + "-6 addr add fd00:77::fe/64 dev vd1; touch router.up; sleep 40' &"
                + " router=$!; " + view.replace("OPTIONS", "vd0=" + dir + "/s2") + ip + "link set vd0 up; " + ip + "-6 addr add fd00:77::1/64 dev vd0; "
                + ip + "-6 route add default via fd00:77::fe; " + ip + "-6 route; exec " + program + " serve 5800 1' > server.out 2>&1 &"
                + " for i in $(seq 100); do [ -e router.up ] && grep -q listening server.out && break; sleep 0.1; done; "
                + view.replace("OPTIONS", "vd0=" + dir + "/s1") + ip + "link set vd0 up; " + ip + "-6 addr add fd00:76::1/64 dev vd0; "
                + ip + "-6 route add fd00:77::/64 via fd00:76::fe; echo added $?; " + ip + "-6 route;"
                + " mstack /dev/net/lw ping -6 -c 2 -i 0.2 -W 5 fd00:77::1 | grep -E \"^64 bytes|transmitted\" | cut -d\" \" -f1-5; "
                + program + " send fd00:77::1 5800; " + ip + "-6 route del fd00:77::/64; echo deleted $?; " + ip + "-6 route' 2>&1;"
                + " wait %2; kill $router; cat server.out";
        String out = inShell(script)
                .assertSuccess("IPv6 routes through a router view").stdout();
        assertEquals("""
                added 0
                fd00:76::/64 dev vd0 proto kernel\s
                fe80::/64 dev vd0 proto kernel\s
                fd00:77::/64 via fd00:76::fe dev vd0\s
                64 bytes from fd00:77::1: icmp_seq=1
                64 bytes from fd00:77::1: icmp_seq=2
                2 packets transmitted, 2 received,
                got fd00:77::1 from fd00:76::1
                deleted 0
                fd00:76::/64 dev vd0 proto kernel\s
                fe80::/64 dev vd0 proto kernel\s
                fd00:77::/64 dev vd0 proto kernel\s
                fe80::/64 dev vd0 proto kernel\s
                default via fd00:77::fe dev vd0\s
                listening
                """, out);
    }

    /**
     * A view reaches a service on the host's loopback as a slirp guest does, at 10.0.2.2 and
     * nowhere else: through its own slirp interface (mount -o sl0: 10.0.2.15/24, a default route
     * by 10.0.2.2) and through vde2's slirpvde on a switch. The server is the test's, on
     * 127.0.0.1, and stops by itself.
     */
    @Test
    void aViewReachesTheHostsLoopbackThroughSlirp() {
        Sandbox.require(PACKAGES + " libvdeplug-slirp curl", "vde_switch", "slirpvde", "curl");
        assertTrue(new java.io.File("/usr/lib/x86_64-linux-gnu/vdeplug/libvdeplug_slirp.so").exists(),
                "libvdeplug_slirp.so is missing (Debian package libvdeplug-slirp)");
        Path dir = sandbox.work.resolve("lwip-slirp-" + System.nanoTime());
        int port = 20000 + (int) (System.nanoTime() % 20000);
        String fetch = "mstack /dev/net/lw curl -s -m 30 http://10.0.2.2:" + port + "/page.html; ";
        String script = "mkdir -p " + dir + "/www && cd " + dir + " && echo a page of the host > www/page.html"
                + " && vde_switch -d -s sw -M m -p p || exit 8; slirpvde -s " + dir + "/sw -n 10.0.2.0 2>/dev/null & slirp=$!;"
                + " (cd www && exec timeout 90 python3 -m http.server --bind 127.0.0.1 " + port + " >/dev/null 2>&1) & server=$!;"
                + " trap 'kill $slirp $server $(cat p)' EXIT;"
                + " for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:" + port + "/ && break; sleep 0.1; done; "
                + "umview bash -c 'mount -t umnetlwipv6 -o sl0 none /dev/net/lw || exit 9; mstack /dev/net/lw ip -4 -o addr show sl0"
                + " | tr -s \" \" | cut -d\" \" -f2,4; mstack /dev/net/lw ip route; " + fetch + "'; "
                + "umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/sw,ip0=10.0.2.15/24 none /dev/net/lw || exit 9; " + fetch + "'";
        String out = inShell(script)
                .assertSuccess("a view through slirp").stdout();
        assertEquals("""
                sl0 10.0.2.15/24
                10.0.2.0/24 dev sl0 proto kernel scope link src 10.0.2.15\s
                default via 10.0.2.2 dev sl0\s
                a page of the host
                a page of the host
                """, out);
    }

    /**
     * The README's walk-through: a view configured with ip serves files with python's
     * http.server, which binds the IPv6 wildcard (a dual-stack socket), and a view on the same
     * switch fetches a page over IPv4 with curl.
     */
    @Test
    void aServerOnTheIpv6WildcardIsFetchedFromOverIpv4() {
        Sandbox.require(PACKAGES + " curl", "vde_switch", "curl", "ip");
        Path dir = sandbox.work.resolve("lwip-http-" + System.nanoTime());
        String script = "mkdir -p " + dir + "/www && cd " + dir + " && echo a page of the view > www/index.html"
                + " && vde_switch -d -s sw -M m -p p || exit 8; trap 'kill $(cat p)' EXIT; cd www; "
                + "umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/sw none /dev/net/lw || exit 9; mstack /dev/net/lw bash -c"
                + " \"ip addr add 10.77.8.1/24 dev vd0 && ip link set vd0 up && exec timeout 60 python3 -m http.server 8000\"' > ../server.out 2>&1 &"
                + " server=$!; for i in $(seq 100); do grep -q Serving ../server.out 2>/dev/null && break; sleep 0.1; done; "
                + "umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/sw,ip0=10.77.8.2/24 none /dev/net/lw || exit 9;"
                + " mstack /dev/net/lw curl -s -m 30 http://10.77.8.1:8000/'; kill $server; wait; head -1 ../server.out";
        String out = inShell(script)
                .assertSuccess("http.server in a view").stdout();
        assertEquals("a page of the view\nServing HTTP on :: port 8000 (http://[::]:8000/) ...\n", out);
    }

    /**
     * iputils' ping between two views, both ways: its ICMP datagram socket (a ping socket, as
     * Linux's) is served by the stack, whose helper sends the requests through LWIPv6; the other
     * stack answers them itself. An address nobody has gets no answer.
     */
    @Test
    void pingBothWaysBetweenTwoViews() {
        Sandbox.require(PACKAGES + " iputils-ping", "vde_switch", "ping");
        Path dir = sandbox.work.resolve("lwip-ping-" + System.nanoTime());
        String view = "umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/sw,ip0=10.77.9.ME/24 none /dev/net/lw || exit 9;"
                + " mstack /dev/net/lw ip -6 addr add fd00:79::ME/64 dev vd0; touch ME.up;"
                + " for i in $(seq 100); do [ -e PEER.up ] && break; sleep 0.1; done;"
                + " mstack /dev/net/lw ping -c 3 -i 0.2 -W 5 10.77.9.PEER | grep -E \"^64 bytes|transmitted\" | cut -d\" \" -f1-5;"
                + " mstack /dev/net/lw ping -6 -c 2 -i 0.2 -W 5 fd00:79::PEER | grep -E \"^64 bytes|transmitted\" | cut -d\" \" -f1-5;"
                + " touch ME.done; for i in $(seq 100); do [ -e PEER.done ] && break; sleep 0.1; done'";
        String script = "mkdir -p " + dir + " && cd " + dir + " && vde_switch -d -s sw -M m -p p || exit 8; trap 'kill $(cat p)' EXIT; "
                + view.replace("ME", "1").replace("PEER", "2") + " > one.out 2>&1 & one=$!; "
                + view.replace("ME", "2").replace("PEER", "1") + "; wait $one; cat one.out; "
                + "umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/sw,ip0=10.77.9.3/24 none /dev/net/lw || exit 9;"
                + " mstack /dev/net/lw ping -c 1 -W 1 10.77.9.9 | grep transmitted | cut -d\" \" -f1-5;"
                + " mstack /dev/net/lw ip -6 addr add fd00:79::3/64 dev vd0;"
                + " mstack /dev/net/lw ping -6 -c 1 -W 1 fd00:79::9 | grep transmitted | cut -d\" \" -f1-5'";
        String out = inShell(script)
                .assertSuccess("ping between two views").stdout();
        assertEquals("""
                64 bytes from 10.77.9.1: icmp_seq=1
                64 bytes from 10.77.9.1: icmp_seq=2
                64 bytes from 10.77.9.1: icmp_seq=3
                3 packets transmitted, 3 received,
                64 bytes from fd00:79::1: icmp_seq=1
                64 bytes from fd00:79::1: icmp_seq=2
                2 packets transmitted, 2 received,
                64 bytes from 10.77.9.2: icmp_seq=1
                64 bytes from 10.77.9.2: icmp_seq=2
                64 bytes from 10.77.9.2: icmp_seq=3
                3 packets transmitted, 3 received,
                64 bytes from fd00:79::2: icmp_seq=1
                64 bytes from fd00:79::2: icmp_seq=2
                2 packets transmitted, 2 received,
                1 packets transmitted, 0 received,
                1 packets transmitted, 0 received,
                """, out);
    }

    /**
     * umdevtap: a program opens /dev/net/tun in a view, makes a TAP interface (TUNSETIFF with
     * IFF_TAP|IFF_NO_PI; TUNGETIFF and SIOCGIFHWADDR answered), writes an ARP request for the
     * address of a umnetlwipv6 view on the same switch and reads that stack's reply.
     */
    @Test
    void aTapOnTheSwitchGetsTheArpReplyOfAStack() {
        Sandbox.require(PACKAGES, "vde_switch", "vde_plug");
        Path dir = sandbox.work.resolve("lwip-tap-" + System.nanoTime());
        Path program = sandbox.compile("tap_arp");
        String script = "mkdir -p " + dir + " && cd " + dir + " && vde_switch -d -s sw -M m -p p || exit 8; trap 'kill $(cat p)' EXIT; "
                + "umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/sw,ip0=10.77.10.1/24 none /dev/net/lw || exit 9; touch up;"
                + " exec mstack /dev/net/lw sleep 30' & stack=$!; for i in $(seq 100); do [ -e up ] && break; sleep 0.1; done; "
                + "umview bash -c 'mount -t umdevtap -o vde=" + dir + "/sw none /dev/net/tun || exit 9; stat -c %F:%t:%T /dev/net/tun; "
                + program + " 10.77.10.7 10.77.10.1; echo $?; mount -t umdevtap none /dev/net/tun 2>/dev/null; echo $?'; kill $stack";
        String out = inShell(script)
                .assertSuccess("a tap on the switch").stdout();
        assertEquals("character special file:a:c8\ntap0 tap0 tap unicast\n10.77.10.1 is at a unicast address: yes\n0\n32\n", out);
    }

    /**
     * IPv6 TCP between two views: to a global address ip -6 addr add gave, to the server's
     * link-local address (made from its MAC, as LWIPv6's autoconfiguration makes it) with a scope
     * id, by number and by name (glibc's if_nametoindex asks the stack's interfaces), IPv4 to the
     * same IPv6 wildcard socket; a link-local address without a scope id is
     * EINVAL, as the kernel's. UDP both ways over IPv6 and IPv4 to an IPv6 wildcard socket, each
     * sender told. ip -6 shows the addresses and routes.
     */
    @Test
    void ipv6TcpAndUdpBetweenTwoViewsGlobalAndLinkLocal() {
        Sandbox.require(PACKAGES, "vde_switch", "ip");
        Path dir = sandbox.work.resolve("lwip-six-" + System.nanoTime());
        String program = "python3 " + sandbox.resource("tcp_hello.py");
        String ip = "mstack /dev/net/lw ip ";
        String script = "mkdir -p " + dir + " && cd " + dir + " && vde_switch -d -s sw -M m -p p || exit 8; trap 'kill $(cat p)' EXIT; "
                + "umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/sw,ip0=10.77.11.1/24 none /dev/net/lw || exit 9; "
                + ip + "-6 addr add fd00:77::1/64 dev vd0; " + ip + "-6 -o addr | tr -s \" \" | cut -d\" \" -f2-4 > addresses; "
                + ip + "-6 route > routes; mstack /dev/net/lw timeout 60 " + program + " userve 5701 2 > datagrams.out 2>&1 &"
                + " exec mstack /dev/net/lw timeout 60 " + program + " serve 5700 4' > server.out 2>&1 &"
                + " server=$!; for i in $(seq 100); do grep -q listening server.out 2>/dev/null && grep -q listening datagrams.out"
                + " 2>/dev/null && break; sleep 0.1; done;"
                + " local=$(grep fe80 addresses | cut -d\" \" -f3 | cut -d/ -f1); "
                + "umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/sw,ip0=10.77.11.2/24 none /dev/net/lw || exit 9; "
                + ip + "-6 addr add fd00:77::2/64 dev vd0; s=\"mstack /dev/net/lw " + program + " send\";"
                + " $s fd00:77::1 5700; $s '$local'%2 5700 | sed \"s/fe80[0-9a-f:]*/LINK-LOCAL/g\"; $s '$local'%vd0 5700 | sed \"s/fe80[0-9a-f:]*/LINK-LOCAL/g\"; $s 10.77.11.1 5700; $s '$local' 5700;"
                + " u=\"mstack /dev/net/lw " + program + " usend\"; $u fd00:77::1 5701; $u 10.77.11.1 5701'; wait $server;"
                + " sed \"s/fe80[0-9a-f:]*/LINK-LOCAL/\" addresses; cat routes; cat server.out datagrams.out";
        String out = inShell(script)
                .assertSuccess("IPv6 between two views").stdout();
        assertEquals("""
                got fd00:77::1 from fd00:77::2
                got LINK-LOCAL%2 from LINK-LOCAL
                got LINK-LOCAL%vd0 from LINK-LOCAL
                got 10.77.11.1 from 10.77.11.2
                errno 22
                got fd00:77::1 from fd00:77::2 answered by fd00:77::1
                got 10.77.11.1 from ::ffff:10.77.11.2 answered by 10.77.11.1
                vd0 inet6 fd00:77::1/64
                vd0 inet6 LINK-LOCAL/64
                fd00:77::/64 dev vd0 proto kernel\s
                fe80::/64 dev vd0 proto kernel\s
                listening
                listening
                """, out);
    }

    /** UDP both ways between two views, each datagram's sender told right. */
    @Test
    void datagramsGoBothWaysWithTheirAddresses() {
        Sandbox.require(PACKAGES, "vde_switch");
        Path dir = sandbox.work.resolve("lwip-udp-" + System.nanoTime());
        String program = sandbox.resource("udp_echo.py").toString();
        String stack = "mount -t umnetlwipv6 -o vd0=" + dir + "/switch,ip0=IP/24 none /dev/net/lw || exit 9; exec mstack /dev/net/lw ";
        String script = "mkdir -p " + dir + " && cd " + dir + " && vde_switch -d -s " + dir + "/switch -M " + dir + "/mgmt -p "
                + dir + "/pid || exit 8; trap 'kill $(cat " + dir + "/pid)' EXIT; "
                + "umview bash -c '" + stack.replace("IP", "10.77.2.1") + "timeout 60 python3 " + program + " serve 5300' > server.out 2>&1 &"
                + " for i in $(seq 100); do grep -q listening server.out 2>/dev/null && break; sleep 0.1; done; "
                + "umview bash -c '" + stack.replace("IP", "10.77.2.2") + "timeout 60 python3 " + program + " send 10.77.2.1 5300'; wait;"
                + " cat server.out";
        String out = inShell(script)
                .assertSuccess("UDP between two LWIPv6 stacks").stdout();
        assertEquals("ONE 10.77.2.1 5300 10.77.2.2\nTWO 10.77.2.1 5300 10.77.2.2\nTHREE 10.77.2.1 5300 10.77.2.2\n"
                + "listening\nfrom 10.77.2.2\nfrom 10.77.2.2\nfrom 10.77.2.2\n", out);
    }

    /** The stack's process killed: its calls get ENETDOWN, and the view and its other programs go on. */
    @Test
    void aDeadStackIsNetworkDownAndTheViewGoesOn() {
        Sandbox.require(PACKAGES, "vde_switch");
        Path dir = sandbox.work.resolve("lwip-dead-" + System.nanoTime());
        String probe = "mstack /dev/net/lw python3 " + sandbox.resource("socket_errno.py");
        String script = "mkdir -p " + dir + " && vde_switch -d -s " + dir + "/switch -M " + dir + "/mgmt -p " + dir + "/pid || exit 8;"
                + " trap 'kill $(cat " + dir + "/pid)' EXIT; umview bash -c 'mount -t umnetlwipv6 -o vd0=" + dir + "/switch,ip0=10.77.1.1/24"
                + " none /dev/net/lw || exit 9; " + probe + "; kill $(pgrep -P $(vuname -U) umnet-lwip); sleep 0.5; " + probe
                + "; echo the view goes on'";
        String out = inShell(script)
                .assertSuccess("a dead stack").stdout();
        assertEquals("ok\n100\nthe view goes on\n", out); // 100: ENETDOWN
    }
}
