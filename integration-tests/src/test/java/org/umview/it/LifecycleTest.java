package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The view lives as long as its last process, and dies with umview. */
class LifecycleTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void umviewWaitsForOrphanedProcesses() throws IOException {
        Path marker = sandbox.work.resolve("orphan-" + System.nanoTime());
        sandbox.umview("sh", "-c", "(sleep 1; echo orphan > " + marker + ") & exit 0").assertSuccess("orphan");
        assertEquals("orphan\n", Files.readString(marker), "umview exited before the orphan finished");
    }

    @Test
    void sigtermToUmviewEndsTheWholeView() throws Exception {
        Path pids = sandbox.work.resolve("pids-" + System.nanoTime());
        Process view = start("sh", "-c", "sleep 300 & echo $! > " + pids + "; sleep 300 & wait");
        List<Long> sleepers = waitForPids(pids);
        view.destroy(); // SIGTERM
        assertTrue(view.waitFor(20, TimeUnit.SECONDS), "umview did not end on SIGTERM");
        for (long pid : sleepers) {
            assertFalse(alive(pid), "a traced process survived umview");
        }
    }

    @Test
    void sigkillToUmviewKillsEveryTracee() throws Exception {
        Path pids = sandbox.work.resolve("pids-" + System.nanoTime());
        Process view = start("sh", "-c", "sleep 300 & echo $! > " + pids + "; wait");
        List<Long> sleepers = waitForPids(pids);
        view.destroyForcibly();
        assertTrue(view.waitFor(20, TimeUnit.SECONDS));
        Thread.sleep(500);
        for (long pid : sleepers) {
            assertFalse(alive(pid), "a traced process kept running untraced after umview was killed");
        }
    }

    private Process start(String... command) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(sandbox.umview.toString());
        argv.addAll(List.of(command));
        return new ProcessBuilder(sandbox.asUser(argv)).directory(sandbox.work.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static List<Long> waitForPids(Path file) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (Files.exists(file) && !Files.readString(file).isBlank()) {
                return Files.readAllLines(file).stream().map(String::strip).map(Long::parseLong).toList();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the view never wrote " + file);
    }

    /* A zombie is dead: here PID 1 may never reap what umview's death orphaned. */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
