package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** Threads opening and closing at once, below the bound: each descriptor number gets its own traps. */
    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void threadsOpeningAtOnceReadWhatTheyOpened(String intercept) {
        for (int run = 0; run < 3; run++) {
            Commands.Result result = sandbox.umviewIntercepting(intercept, List.of("-p", "unreal", "/usr/bin/python3",
                    sandbox.resource("mount_then.py").toString(), "unreal", "none", "/unreal", "--", "python3",
                    sandbox.resource("threads_open.py").toString(), "/unreal/etc/passwd", "300", "32"))
                    .assertSuccess("threads");
            assertEquals("32 threads x 300 wrong: 0 []\n", result.stdout(), result.toString());
        }
    }

    /** On ptrace stops and where path calls are notified (fewer rounds: each is three notifications and stops). */
    @ParameterizedTest
    @CsvSource({"ptrace, 40000", "notify, 10000"})
    void thousandsOfVirtualDescriptorsThreadsAndALongLoopStayWithinTheKernelsBound(String intercept, String rounds) {
        Commands.Result result = underUnreal(intercept, "3000", rounds).assertSuccess("many descriptors");
        assertEquals("open at once: 3000 all read right: True\ndup2 to high numbers: True\n64 threads x 500: ok\n"
                + "rounds: " + rounds + " wrong: 0\n", result.stdout(), result.toString());
        assertEquals("", result.stderr(), "no filter refused: " + result);
    }
}
