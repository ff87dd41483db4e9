package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** umview exits as a shell reports its command, and 125 when it fails itself (SPEC §3). */
class ExitStatusTest {
    private final Sandbox sandbox = Sandbox.get();

    @ParameterizedTest
    @CsvSource({
        "exit 0, 0",
        "exit 42, 42",
        "kill -TERM $$, 143",
        "kill -SEGV $$, 139",
        "kill -KILL $$, 137",
    })
    void commandStatusIsUmviewStatus(String script, int status) {
        assertEquals(status, sandbox.umview("sh", "-c", script).exitCode());
    }

    @Test
    void notExecutableIs126() {
        Commands.Result result = sandbox.umview("/etc/passwd");
        assertEquals(126, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("/etc/passwd: Permission denied"), result.stderr());
    }

    @Test
    void notFoundIs127() {
        Commands.Result result = sandbox.umview("no-such-command-anywhere");
        assertEquals(127, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("no-such-command-anywhere: command not found"), result.stderr());
    }

    @Test
    void badOptionIs125WithAMessage() {
        Commands.Result result = sandbox.umview("--no-such-option", "true");
        assertEquals(125, result.exitCode());
        assertTrue(result.stderr().contains("--no-such-option"), result.stderr());
    }

    @Test
    void unknownModuleIs125() {
        Commands.Result result = sandbox.umview("-p", "nosuchmodule,opt=1", "true");
        assertEquals(125, result.exitCode());
        assertTrue(result.stderr().contains("unknown module 'nosuchmodule'"), result.stderr());
    }

    @Test
    void helpAndVersion() {
        Commands.Result help = sandbox.umview("--help").assertSuccess("umview --help");
        assertTrue(help.stdout().contains("--preload") && help.stdout().contains("Exit status"), help.stdout());
        Commands.Result version = sandbox.umview("--version").assertSuccess("umview --version");
        assertTrue(version.stdout().startsWith("umview "), version.stdout());
    }

    @Test
    void optionsAfterTheCommandBelongToIt() {
        Commands.Result result = sandbox.umview("echo", "-p", "--help").assertSuccess("echo in umview");
        assertEquals("-p --help\n", result.stdout());
    }

    @Test
    void umviewPrintsNothingOfItsOwn() {
        Commands.Result result = sandbox.umview(List.of("sh", "-c", "echo out; echo err >&2")).assertSuccess("sh");
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
    }
}
