package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 6: a process that makes many descriptor numbers virtual must not run out of
 * seccomp filter space (the kernel caps a chain at 32768 instructions): past a bound it traps
 * every descriptor call at once. Thousands of virtual descriptors open together, dup2 to high
 * numbers, 64 threads, and a long open/read/close loop, each read checked.
 */
class DescriptorLoadTest {
    private final Sandbox sandbox = Sandbox.get();

    private Commands.Result underUnreal(String intercept, String count, String rounds) {
        return sandbox.umviewIntercepting(intercept, List.of("-p", "unreal", "/usr/bin/python3",
                sandbox.resource("mount_then.py").toString(), "unreal", "none", "/unreal", "--",
                "python3", sandbox.resource("many_descriptors.py").toString(), "/unreal/etc/passwd", count, rounds));
    }

    @Test
    void thousandsOfVirtualDescriptorsThreadsAndALongLoopStayWithinTheKernelsBound() {
        Commands.Result result = underUnreal("ptrace", "3000", "100000").assertSuccess("many descriptors");
        assertEquals("open at once: 3000 all read right: True\ndup2 to high numbers: True\n64 threads x 500: ok\n"
                + "rounds: 100000 wrong: 0\n", result.stdout(), result.toString());
        assertEquals("", result.stderr(), "no filter refused: " + result);
    }

    /**
     * The same where path calls are notified. What the 64 threads read is not asserted here: on
     * this path a thread's read of a descriptor just opened is, rarely (a few in 10,000 with 32
     * threads starting at once), not served (issue 12, left open).
     */
    @Test
    void theSameOnTheNotifiedPath() {
        Commands.Result result = underUnreal("notify", "3000", "20000").assertSuccess("many descriptors, notified");
        String[] lines = result.stdout().split("\n");
        assertEquals("open at once: 3000 all read right: True", lines[0], result.toString());
        assertEquals("dup2 to high numbers: True", lines[1], result.toString());
        assertEquals("rounds: 20000 wrong: 0", lines[3], result.toString());
        assertEquals("", result.stderr(), "no filter refused: " + result);
    }
}
