package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * umnet: a view's network stacks. Every server is the test's own, on the host's loopback or
 * on a stack's, and stops by itself; nothing goes anywhere else.
 */
class UmnetTest {
    private final Sandbox sandbox = Sandbox.get();

    /** A server of the host's on 127.0.0.1 (programs/loopback_server.py): its port; it stops 60 s after its last connection. */
    private int hostServer() throws Exception {
        Process server = new ProcessBuilder(sandbox.asUser(List.of("python3", sandbox.resource("loopback_server.py").toString(),
                "60"))).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String port = out.readLine();
        assertTrue(port != null && port.matches("\\d+"), "the loopback server did not start: " + port);
        return Integer.parseInt(port);
    }

    private static String clients(int port) {
        String url = "http://127.0.0.1:" + port + "/";
        return "python3 -c 'import urllib.request; print(urllib.request.urlopen(\"" + url + "\", timeout=5).read().decode().strip())'"
                + " 2>/dev/null || echo python refused; curl -sS -m 5 " + url + " 2>/dev/null || echo curl refused;"
                + " printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 -q 1 127.0.0.1 " + port + " | tail -n 1 | grep . || echo nc refused;";
    }

    @Test
    void hostServerIsReachedWithoutUmnetAndOnUmnetcurrentAndRefusedOnUmnetnull() throws Exception {
        Sandbox.require("curl netcat-openbsd", "curl", "nc");
        int port = hostServer();
        String reached = "hello from the host\nhello from the host\nhello from the host\n";
        String refused = "python refused\ncurl refused\nnc refused\n";
        Commands.Result result = sandbox.umview("bash", "-c", clients(port)
                + " mount -t umnetcurrent none /dev/net/host && mount -t umnetnull none /dev/net/null || exit 9;"
                + " stat -c %F /dev/net/null; mstack /dev/net/host bash -c '" + clients(port).replace("'", "'\\''")
                + "'; mstack /dev/net/null bash -c '" + clients(port).replace("'", "'\\''") + "'")
                .assertSuccess("clients on three stacks");
        assertEquals(reached + "character special file\n" + reached + refused, result.stdout(), result.toString());
        assertEquals(refused, sandbox.umview("--net", "none", "bash", "-c", clients(port)).assertSuccess("--net none").stdout());
    }

    /** --net STACK: the rc file mounts the stack, the command runs with it as its default. */
    @Test
    void netOptionNamesAStackTheRcFileMounts() throws Exception {
        int port = hostServer();
        Path rc = sandbox.work.resolve("net-rc-" + System.nanoTime());
        Files.writeString(rc, "mount -t umnetnull none /dev/net/fromrc\n");
        String program = sandbox.compile("stack_sockets").toString();
        Commands.Result result = sandbox.umview("-f", rc.toString(), "--net", "/dev/net/fromrc", program, "refused",
                Integer.toString(port));
        assertTrue(result.stdout().startsWith("host loopback server: Connection refused\n"), result.toString());
        Commands.Result missing = sandbox.umview("--net", "/dev/net/nothing", "true");
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.stderr().contains("/dev/net/nothing is no network stack"), missing.toString());
        Commands.Result empty = sandbox.umview("--net=", "true");
        assertEquals(125, empty.exitCode(), empty.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void socketsOfAStackBehaveAsTheKernelsDo(String intercept) {
        String program = sandbox.compile("stack_sockets").toString();
        String natively = sandbox.nativeRun(List.of(program)).assertSuccess("natively").stdout();
        assertEquals(5, natively.split(": ok\n", -1).length - 1, natively);
        assertEquals(natively, sandbox.umviewIntercepting(intercept, List.of("--net", "none", program))
                .assertSuccess("on --net none").stdout());
        assertEquals(natively, sandbox.umviewIntercepting(intercept, List.of("bash", "-c",
                "mount -t umnetnull none /dev/net/mine && mstack -o ipv4 /dev/net/mine " + program))
                .assertSuccess("mstack on umnetnull").stdout());
    }

    @Test
    void asyncioServerAndClientsShareTheLoopbackOfUmnetnull() {
        String echo = sandbox.resource("stack_echo.py").toString();
        String expected = "listening on [('127.0.0.1', 47031), ('::1', 47031)]\necho hi over 127.0.0.1 peer ('127.0.0.1', 47031)\n"
                + "echo hi over ::1 peer ('::1', 47031)\ndatagram from ::1 True\n";
        assertEquals(expected, sandbox.umview("--net", "none", "python3", echo, "47031").assertSuccess("asyncio").stdout());
        // Two stacks are two loopbacks: the same port serves in each.
        Commands.Result both = sandbox.umview("bash", "-c", "mount -t umnetnull none /dev/net/a && mount -t umnetnull none"
                + " /dev/net/b || exit 9; cd $(mktemp -d); mstack /dev/net/a python3 " + echo + " 47031 > a & mstack /dev/net/b python3 "
                + echo + " 47031 > b; wait; cat a b").assertSuccess("two stacks"); // apart: two writers of one pipe mix their lines
        assertEquals(sorted(expected + expected), sorted(both.stdout()), both.toString());
    }

    /** python's http.server binds "::" with IPv4 through it: so do a stack's sockets. */
    @Test
    void dualStackServerIsReachedOverIpv4AndIpv6() {
        String program = sandbox.resource("dual_stack.py").toString();
        String natively = sandbox.nativeRun(List.of("python3", program)).assertSuccess("natively").stdout();
        assertEquals("from ::ffff:127.0.0.1\nfrom ::1\n", natively);
        assertEquals(natively, sandbox.umview("--net", "none", "python3", program).assertSuccess("dual stack").stdout());
    }

    private static String sorted(String text) {
        return text.lines().sorted().reduce("", (a, b) -> a + b + "\n");
    }

    /**
     * --net none (and a profile's 'net none'): no socket call reaches the host's network, and the
     * network cannot be had back: no umnetcurrent mount, the stack stays mounted and loaded.
     */
    @Test
    void netNoneLeavesNoWayOut() throws Exception {
        int port = hostServer();
        String program = sandbox.compile("stack_sockets").toString();
        String natively = sandbox.nativeRun(List.of(program, "refused", Integer.toString(port))).stdout();
        assertTrue(natively.startsWith("host loopback server: reached\n"), natively);
        String expected = "host loopback server: Connection refused\n10.0.2.2: Network is unreachable\n"
                + "udp to 10.0.2.2: Network is unreachable\n"
                + "a Unix address on an Internet socket: Address family not supported by protocol\n"
                + "packet socket: Address family not supported by protocol\n"
                + "netlink route socket: made\n"
                + "vsock socket: Address family not supported by protocol\nraw socket: Operation not permitted\n";
        Path profile = sandbox.work.resolve("net-none-" + System.nanoTime() + ".profile");
        Files.writeString(profile, "# no network\nnet none\n");
        Commands.Result result = sandbox.umview("--sandbox", profile.toString(), "bash", "-c", program + " refused " + port
                + "; mount -t umnetcurrent none /dev/net/host; echo mount $?; mstack /dev/net/host true; echo mstack $?;"
                + " umount /dev/net/none; echo umount $?; umount -l /dev/net/none; echo lazy $?; um_del_service umnet; echo del $?;"
                + " mount -t umnetnull none /dev/net/other && mstack /dev/net/other " + program + " refused " + port);
        assertEquals(expected + "mount 32\nmstack 1\numount 32\nlazy 32\ndel 1\n" + expected, result.stdout(), result.toString());
        assertTrue(result.stderr().contains("the view has no network"), result.toString());
        assertEquals(expected, sandbox.umview("--net", "none", program, "refused", Integer.toString(port)).stdout());
        // A socket of a process outside the view, connected to the host's server, and io_uring.
        Process holder = new ProcessBuilder(sandbox.asUser(List.of("python3", "-c", "import socket, time;"
                + " c = socket.create_connection(('127.0.0.1', " + port + ")); print(c.fileno(), flush=True); time.sleep(60)")))
                .redirectErrorStream(true).start();
        try {
            String fd = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            List<String> escapes = List.of("python3", sandbox.resource("net_escapes.py").toString(), Long.toString(holder.pid()), fd);
            assertEquals("pidfd_getfd of an outside socket: reached\nio_uring_setup: reached\n",
                    sandbox.nativeRun(escapes).stdout(), "the ways must work outside a view");
            List<String> inView = new java.util.ArrayList<>(List.of("--net", "none"));
            inView.addAll(escapes);
            Commands.Result refused = sandbox.umview(inView);
            assertEquals("pidfd_getfd of an outside socket: EPERM\nio_uring_setup: ENOSYS\n", refused.stdout(), refused.toString());
        } finally {
            holder.destroy();
        }
    }

    /** ip (iproute2) and getifaddrs ask rtnetlink: umnetnull has its loopback only and cannot be changed; umnetcurrent is the host's. */
    @Test
    void ipShowsTheInterfacesOfTheStack() {
        Sandbox.require("iproute2", "ip");
        String lo = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n"
                + "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
                + "    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n"
                + "    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n";
        Commands.Result result = sandbox.umview("--net", "none", "bash", "-c", "ip addr; ip -o link | wc -l; ip route; echo route $?;"
                + " ip link show eth0 2>/dev/null; echo eth0 $?; ip addr add 10.9.9.9/24 dev lo 2>&1; echo add $?;"
                + " python3 -c 'import socket; print(socket.if_nameindex())'");
        assertEquals(lo + "1\nroute 0\neth0 1\nRTNETLINK answers: Operation not permitted\nadd 2\n[(1, 'lo')]\n", result.stdout(),
                result.toString());
        String host = sandbox.nativeRun(List.of("ip", "-o", "addr")).assertSuccess("ip natively").stdout();
        assertEquals(host, sandbox.umview("bash", "-c", "mount -t umnetcurrent none /dev/net/host && mount -t umnetnull none"
                + " /dev/net/null && mstack /dev/net/host ip -o addr").assertSuccess("ip on umnetcurrent").stdout());
    }

    @Test
    void stackWithOpenSocketsStaysMounted() {
        String dir = "/dev/net/busy";
        Commands.Result result = sandbox.umview("bash", "-c", "mount -t umnetnull none " + dir + " || exit 9;"
                + " mstack " + dir + " python3 -c 'import socket, subprocess; s = socket.socket(); s.bind((\"127.0.0.1\", 0));"
                + " print(subprocess.run([\"umount\", \"" + dir + "\"]).returncode); s.close();"
                + " print(subprocess.run([\"umount\", \"" + dir + "\"]).returncode)'; stat " + dir + " >/dev/null 2>&1; echo stat $?");
        assertEquals("32\n0\nstat 1\n", result.stdout(), result.toString());
    }

    @Test
    void badStackMountsAndMstackUsesSayWhatIsWrong() {
        Commands.Result result = sandbox.umview("bash", "-c", "mount -t umnetnull -o bogus none /dev/net/x; echo mount $?;"
                + " mount -t umnetnowhere none /dev/net/y; echo type $?; mstack /dev/net/x true; echo absent $?;"
                + " mstack /tmp true; echo notastack $?; mount -t umnetnull none /dev/net/z && mstack -o bogus /dev/net/z true;"
                + " echo proto $?; mstack /dev/net/z; echo usage $?");
        assertEquals("mount 32\ntype 32\nabsent 1\nnotastack 1\nproto 1\nusage 2\n", result.stdout(), result.toString());
        assertTrue(result.stderr().contains("unknown protocol bogus"), result.toString());
        assertTrue(result.stderr().contains("/tmp is no network stack"), result.toString());
    }
}
