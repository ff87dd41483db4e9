package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random arguments (bad pointers, strings running into an unmapped page, huge lengths, bad
 * flags, bad and virtual descriptors) thrown at every trapped call in a view with a path
 * module, a copy-on-write mount, a served module, a FUSE mount and a names mount: umview must neither crash nor
 * hang, and nothing may fail inside the supervisor.
 */
class FuzzTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void randomArgumentsNeverBreakTheSupervisor() {
        Path fuzz = sandbox.compile("fuzz_calls");
        Path dir = sandbox.work.resolve("fuzz-" + System.nanoTime());
        sandbox.nativeRun(List.of("bash", "-c", "PATH=$PATH:/usr/sbin:/sbin; mkdir -p " + dir + "/host " + dir + "/src " + dir
                + "/mnt " + dir + "/lower && echo kept > " + dir + "/lower/f && mke2fs -q -t ext2 " + dir + "/disk.img 4M")).assertSuccess("fuzz setup");
        StringBuilder script = new StringBuilder("cd " + dir + " && mount -t viewfs src " + dir + "/bound && mount -t viewfs -o cow lower " + dir + "/cow && mount -t umfuseext2"
                + " disk.img mnt && mount -t ummiscuname none " + dir + "/uts || exit 9;");
        int seeds = 6;
        for (int seed = 1; seed <= seeds; seed++) {
            script.append(' ').append(fuzz).append(' ').append(seed).append(" 2500 ").append(dir).append("/host ")
                    .append(dir).append("/bound ").append(dir).append("/mnt /unreal").append(dir).append("/host ").append(dir).append("/cow;");
        }
        script.append(" cd / && umount ").append(dir).append("/mnt && echo survived");
        Commands.Result result = sandbox.umview("-p", "unreal", "bash", "-c", script.toString());
        assertSurvived(result, seeds);
        // The fuzzed paths include the work directory itself, whose mode a random chmod may have changed.
        assertEquals("f\nkept\n", sandbox.nativeRun(List.of("bash", "-c", "chmod 700 " + dir + " " + dir + "/lower && cd " + dir + "/lower && ls && cat f")).stdout(),
                "the source of a cow mount changed");
    }

    /** The socket calls, thrown at sockets of a virtual stack (and at netlink and Unix ones) under --net none and mstack. */
    @Test
    void randomSocketCallsNeverBreakTheSupervisor() {
        Path fuzz = sandbox.compile("fuzz_calls");
        StringBuilder script = new StringBuilder("mount -t umnetnull none /dev/net/fuzz || exit 9;");
        int seeds = 4;
        for (int seed = 1; seed <= seeds; seed++) {
            script.append(seed % 2 == 0 ? " mstack /dev/net/fuzz " : " ").append(fuzz).append(" --sockets ").append(seed)
                    .append(" 2500;");
        }
        script.append(" echo survived");
        Commands.Result result = sandbox.umview("--net", "none", "bash", "-c", script.toString());
        assertSurvived(result, seeds);
    }

    /** Every seed ran to its end, the view went on, and nothing failed inside the supervisor. */
    private static void assertSurvived(Commands.Result result, int seeds) {
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(seeds, result.stdout().split("fuzzed", -1).length - 1, result.toString());
        assertFalse(result.stderr().contains("failed in the supervisor"), result.toString());
        assertFalse(result.stderr().contains("Exception"), result.toString());
        assertFalse(result.stderr().contains("not handled"), result.toString());
        assertEquals(true, result.stdout().endsWith("survived\n"), result.toString());
    }
}
