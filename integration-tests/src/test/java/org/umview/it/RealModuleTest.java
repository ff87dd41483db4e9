package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The path dispatcher with the {@code real} module: the host again under a mount point that
 * does not exist on the host, reached by absolute and relative paths, "..", symlinks and exec.
 */
class RealModuleTest {
    private static final String MOUNT = "/umview-real";
    private final Sandbox sandbox = Sandbox.get();

    private Commands.Result inView(String script) {
        List<String> argv = new ArrayList<>(List.of("-p", "real", "/usr/bin/python3",
                sandbox.resource("mount_then.py").toString(), "real", "none", MOUNT, "--", "bash", "-c", script));
        return sandbox.umview(argv);
    }

    @Test
    void treeUnderTheMountIsTheHostTree() {
        String list = "find /usr/include/linux -name '*.h' | sort | sha256sum";
        Commands.Result expected = sandbox.nativeRun(List.of("bash", "-c", list)).assertSuccess("native find");
        Commands.Result actual = inView("find " + MOUNT + "/usr/include/linux -name '*.h' | sed 's#^" + MOUNT
                + "##' | sort | sha256sum").assertSuccess("find through the mount");
        assertEquals(expected.stdout(), actual.stdout());
    }

    @Test
    void filesReadTheSameThroughTheMount() {
        String files = "usr/bin/bash etc/passwd usr/share/common-licenses/GPL-3";
        Commands.Result expected = sandbox.nativeRun(List.of("bash", "-c", "cd / && sha256sum " + files));
        Commands.Result actual = inView("cd " + MOUNT + " && sha256sum " + files).assertSuccess("sha256sum through the mount");
        assertEquals(expected.stdout(), actual.stdout());
    }

    @Test
    void dotDotAndRelativePathsCrossTheMountPoint() {
        Commands.Result result = inView("cd /usr && cat .." + MOUNT + "/etc/hostname && cat " + MOUNT
                + "/usr/../etc/hostname && cd " + MOUNT + "/etc && cat hostname").assertSuccess("relative paths");
        String hostname = sandbox.nativeRun(List.of("cat", "/etc/hostname")).stdout();
        assertEquals(hostname + hostname + hostname, result.stdout());
    }

    @Test
    void hostSymlinkLeadsIntoTheMount() {
        String link = sandbox.work.resolve("into-mount-" + System.nanoTime()).toString();
        Commands.Result result = inView("ln -s " + MOUNT + "/etc " + link + " && cat " + link + "/hostname; rm " + link)
                .assertSuccess("symlink into the mount");
        assertEquals(sandbox.nativeRun(List.of("cat", "/etc/hostname")).stdout(), result.stdout());
        Commands.Result outside = sandbox.nativeRun(List.of("bash", "-c", "ls " + MOUNT + " 2>&1; true"));
        assertTrue(outside.stdout().contains("No such file"), "the mount leaked out of the view: " + outside);
    }

    @Test
    void programsAndScriptsExecuteFromTheMount() {
        String script = sandbox.work.resolve("hello-" + System.nanoTime() + ".sh").toString();
        Commands.Result result = inView("printf '#!/bin/sh\\necho script says $1\\n' > " + script + "; chmod +x " + script
                + "; " + MOUNT + "/usr/bin/env echo binary ok; " + MOUNT + script + " hi; rm " + script)
                .assertSuccess("exec through the mount");
        assertEquals("binary ok\nscript says hi\n", result.stdout());
    }

    @Test
    void gccBuildsInsideTheMount() {
        String dir = sandbox.work.resolve("build-" + System.nanoTime()).toString();
        Commands.Result result = inView("set -e; mkdir " + MOUNT + dir + "; cd " + MOUNT + dir
                + "; printf 'int main(void){return 7;}\\n' > m.c; gcc -o m " + MOUNT + dir + "/m.c; set +e; ./m; echo built $?; rm -rf " + MOUNT + dir)
                .assertSuccess("gcc through the mount");
        assertEquals("built 7\n", result.stdout());
    }

    @Test
    void umountMakesItVanish() {
        Commands.Result result = inView("ls -d " + MOUNT + "/etc && python3 -c 'import ctypes; print(ctypes.CDLL(None).umount2(b\""
                + MOUNT + "\", 0))' && ls " + MOUNT + "/etc 2>&1; true").assertSuccess("umount");
        assertTrue(result.stdout().startsWith(MOUNT + "/etc\n0\n"), result.toString());
        assertTrue(result.stdout().contains("No such file or directory"), result.toString());
    }

    @Test
    void typesNoModuleServesGoToTheKernel() {
        Commands.Result result = sandbox.umview("-p", "real", "/usr/bin/python3", sandbox.resource("mount_then.py").toString(),
                "ramfs", "none", sandbox.work.toString(), "--", "true");
        assertEquals(99, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("Operation not permitted"), result.stderr());
        assertNotEquals(0, result.exitCode());
    }
}
