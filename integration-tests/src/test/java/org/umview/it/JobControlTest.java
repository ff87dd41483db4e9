package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Job control: an interactive shell on a terminal, and stop/continue signals. */
class JobControlTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void interactiveBashSuspendsResumesAndInterruptsItsJobs() throws IOException {
        Path steps = sandbox.work.resolve("jobcontrol.steps");
        Files.writeString(steps, String.join("\n",
                "expect \\$ $",
                "send sleep 30\\n",
                "sleep 0.7",
                "send \\x1a",
                "expect Stopped",
                "send jobs\\n",
                "expect sleep 30",
                "send fg\\n",
                "expect sleep 30",
                "sleep 0.7",
                "send \\x03",
                "sleep 0.3",
                "send echo alive $?\\n",
                "expect alive 130",
                "send sleep 0.5 & wait; echo waited\\n",
                "expect waited",
                "send exit 7\\n",
                ""));
        steps.toFile().setReadable(true, false);
        String driver = sandbox.resource("pty_session.py").toString();
        Commands.Result result = Commands.run(sandbox.asUser(List.of("env", "PS1=$ ", "/usr/bin/python3", driver,
                steps.toString(), "--", sandbox.umview.toString(), "/bin/bash", "--norc", "--noprofile", "-i")),
                sandbox.work);
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("pty_session: exit status 7"), result.stdout());
    }

    @Test
    void stopAndContinueSignalsWork() {
        String script = "set -m; sleep 5 & p=$!; kill -STOP $p; sleep 0.3; jobs; kill -CONT $p; sleep 0.3;"
                + " ps -o stat= -p $p | cut -c1; kill $p; wait $p; echo status $?";
        Commands.Result result = sandbox.umview("bash", "-c", script).assertSuccess("stop/cont");
        assertTrue(result.stdout().contains("Stopped"), result.toString());
        assertTrue(result.stdout().contains("S\nstatus 143"), result.toString());
    }
}
