package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** --trace logs trapped calls; the control channel answers inside a view only. */
class TraceOptionTest {
    private final Sandbox sandbox = Sandbox.get();

    private static final String PROBE_AND_MOUNT = "import ctypes, os\n"
            + "libc = ctypes.CDLL(None, use_errno=True)\n"
            + "print('probe', libc.syscall(0x7a55, 0))\n"
            + "print('mount', libc.mount(b'none', b'/no-such-mountpoint', b'tmpfs', 0, None), os.strerror(ctypes.get_errno()))\n";

    @Test
    void traceFileShowsTrappedCallsWithResults() throws Exception {
        Path trace = sandbox.work.resolve("trace-" + System.nanoTime() + ".log");
        Commands.Result result = sandbox.umview("--trace=" + trace, "python3", "-c", PROBE_AND_MOUNT)
                .assertSuccess("umview --trace");
        assertTrue(result.stdout().contains("probe 1\n"), result.toString());
        String log = Files.readString(trace);
        assertTrue(log.matches("(?s).*\\[pid \\d+\\] mount\\(\"none\", \"/no-such-mountpoint\", \"tmpfs\", 0x0, NULL\\) = -1 E(PERM|NOENT) .*"), log);
        assertTrue(log.contains("= 1 [umview]"), log);
        assertEquals("", result.stderr(), "--trace=FILE must not write to stderr");
    }

    @Test
    void bareTraceGoesToStderrAndTheCommandIsNotTakenAsFile() {
        Commands.Result result = sandbox.umview("--trace", "python3", "-c", PROBE_AND_MOUNT).assertSuccess("--trace");
        assertTrue(result.stderr().contains("mount(\"none\""), result.toString());
    }

    @Test
    void controlChannelIsAbsentOutsideAView() {
        Commands.Result result = sandbox.nativeRun(java.util.List.of("python3", "-c", PROBE_AND_MOUNT));
        assertTrue(result.stdout().contains("probe -1\n"), result.toString());
    }
}
