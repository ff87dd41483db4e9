package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** -f FILE runs a script inside the view before the command; a failing one stops the view. */
class RcFileTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void rcFileRunsInsideTheViewFirst() throws IOException {
        Path rc = sandbox.work.resolve("rc-" + System.nanoTime());
        Files.writeString(rc, "um_add_service unreal\nviewname from-rc\n");
        rc.toFile().setReadable(true, false);
        Commands.Result result = sandbox.umview("-f", rc.toString(), "sh", "-c", "viewname; um_ls_service | cut -d: -f1")
                .assertSuccess("umview -f");
        assertEquals("from-rc\nmodule\nunreal\n", result.stdout());
    }

    @Test
    void aFailingRcFileStopsWithStatus125() throws IOException {
        Path rc = sandbox.work.resolve("rc-" + System.nanoTime());
        Files.writeString(rc, "um_add_service nosuchmodule\n");
        rc.toFile().setReadable(true, false);
        Commands.Result result = sandbox.umview("-f", rc.toString(), "echo", "never");
        assertEquals(125, result.exitCode(), result.toString());
        assertEquals("", result.stdout());
        assertTrue(result.stderr().contains("unknown module 'nosuchmodule'"), result.stderr());
    }
}
