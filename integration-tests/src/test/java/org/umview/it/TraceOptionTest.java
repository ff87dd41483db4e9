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
            + "print('mount', libc.mount(b'none', b'/no-such-mountpoint', b'ramfs', 0, None), os.strerror(ctypes.get_errno()))\n";

    @Test
    void traceFileShowsTrappedCallsWithResults() throws Exception {
        Path trace = sandbox.work.resolve("trace-" + System.nanoTime() + ".log");
        Commands.Result result = sandbox.umview("--trace=" + trace, "python3", "-c", PROBE_AND_MOUNT)
                .assertSuccess("umview --trace");
        assertTrue(result.stdout().contains("probe 1\n"), result.toString());
        String log = Files.readString(trace);
        assertTrue(log.matches("(?s).*\\[pid \\d+\\] mount\\(\"none\", \"/no-such-mountpoint\", \"ramfs\", 0x0, NULL\\) = -1 E(PERM|NOENT) .*"), log);
        assertTrue(log.contains("= 1 [umview]"), log);
        assertEquals("", result.stderr(), "--trace=FILE must not write to stderr");
    }

    /**
     * A traced fork waits for its exit stop to log its result; the fork event stop before it
     * must not skip that exit, or the parent's next call (here an open bash makes for a
     * redirection, into the module's mount) would be taken for it and run undecided.
     */
    @Test
    void theCallAfterATracedForkIsStillDecided() throws Exception {
        Path trace = sandbox.work.resolve("trace-fork-" + System.nanoTime() + ".log");
        for (String intercept : java.util.List.of("notify", "ptrace")) {
            Commands.Result result = sandbox.umviewIntercepting(intercept, java.util.List.of("-p", "unreal", "--trace=" + trace,
                    "/usr/bin/python3", sandbox.resource("mount_then.py").toString(), "unreal", "none", "/unreal", "--",
                    "bash", "-c", "for i in 1 2 3; do y=$(true); read x < /unreal/etc/passwd; echo \"${x%%:*}\"; done"))
                    .assertSuccess("fork then open, traced, " + intercept);
            assertEquals("root\nroot\nroot\n", result.stdout(), result.toString());
        }
    }

    @Test
    void bareTraceGoesToStderrAndTheCommandIsNotTakenAsFile() {
        Commands.Result result = sandbox.umview("--trace", "python3", "-c", PROBE_AND_MOUNT).assertSuccess("--trace");
        assertTrue(result.stderr().contains("mount(\"none\""), result.toString());
    }

    /**
     * With path calls trapped the trace shows which way each came: one let through from the
     * listener, one it answered (a hidden name), one the tracer took over and rewrote (a
     * path into the real module's mount); with every call on ptrace none is marked notified.
     */
    @Test
    void traceTellsNotifiedCallsFromStops() throws Exception {
        Path hidden = sandbox.work.resolve("hidden-" + System.nanoTime());
        Files.createDirectories(hidden);
        String script = "stat /etc/hostname > /dev/null; stat " + hidden + "/x 2> /dev/null;"
                + " cat /unreal/etc/hostname > /dev/null; true";
        for (String intercept : java.util.List.of("notify", "ptrace")) {
            Path trace = sandbox.work.resolve("trace-" + intercept + "-" + System.nanoTime() + ".log");
            sandbox.umviewIntercepting(intercept, java.util.List.of("-p", "real", "--hide", hidden.toString(),
                    "--trace=" + trace, "/usr/bin/python3", sandbox.resource("mount_then.py").toString(), "real", "none",
                    "/unreal", "--", "bash", "-c", script)).assertSuccess("trace " + intercept);
            String log = Files.readString(trace);
            boolean notified = intercept.equals("notify");
            assertEquals(notified, line(log, "\"/etc/hostname\"[^\n]*= \\? \\[notified, run by the kernel\\]"), log);
            assertEquals(notified, line(log, java.util.regex.Pattern.quote("\"" + hidden + "/x\"") + "[^\n]*ENOENT[^\n]*\\[umview, notified\\]"), log);
            assertTrue(line(log, java.util.regex.Pattern.quote("\"" + hidden + "/x\"") + "[^\n]*ENOENT[^\n]*\\[umview"), log);
            // Rewritten either way: at its stop, or after the listener handed it to the tracer.
            assertTrue(line(log, "\"/unreal/etc/hostname\"[^\n]*\\[rewritten by umview\\]"), log);
        }
    }

    private static boolean line(String log, String regex) {
        return java.util.regex.Pattern.compile(regex).matcher(log).find();
    }

    @Test
    void controlChannelIsAbsentOutsideAView() {
        Commands.Result result = sandbox.nativeRun(java.util.List.of("python3", "-c", PROBE_AND_MOUNT));
        assertTrue(result.stdout().contains("probe -1\n"), result.toString());
    }
}
