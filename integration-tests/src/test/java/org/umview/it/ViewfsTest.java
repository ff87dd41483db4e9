package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * viewfs modes with util-linux mount in a view, as an ordinary user; each test compares what
 * the view shows with what the host still has afterwards.
 */
class ViewfsTest {
    private final Sandbox sandbox = Sandbox.get();

    /** home/secret/key, home/secret/keep/note, home/public, etc/conf, etc/tmp/scratch, src/file. */
    private Path world() {
        Path dir = sandbox.work.resolve("viewfs-" + System.nanoTime());
        host("mkdir -p " + dir + "/home/secret/keep " + dir + "/etc/tmp " + dir + "/src && cd " + dir
                + " && echo key > home/secret/key && echo note > home/secret/keep/note && echo pub > home/public"
                + " && echo conf > etc/conf && echo scratch > etc/tmp/scratch && echo src > src/file");
        return dir;
    }

    private Commands.Result host(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", script)).assertSuccess(script);
    }

    private Commands.Result inView(Path dir, String script) {
        return sandbox.umview("bash", "-c", "cd " + dir + " && " + script);
    }

    private String tree(Path dir) {
        return host("cd " + dir + " && find . | sort && cat etc/conf src/file home/secret/key").stdout();
    }

    @Test
    void hideMakesAPathUnreachableEveryWay() {
        Path dir = world();
        String before = tree(dir);
        Commands.Result result = inView(dir, "mount -t viewfs -o hide none " + dir + "/home/secret || exit 9; ls home;"
                + " cat home/secret/key; cat home/../home/secret/key; cat /proc/self/root" + dir + "/home/secret/key;"
                + " ln -s " + dir + "/home/secret link && cat link/key; cd home && cat secret/key; ls -a | grep -c secret;"
                + " mkdir secret; echo done");
        assertEquals("public\n0\ndone\n", result.stdout(), result.toString());
        assertEquals(5, result.stderr().split("No such file or directory", -1).length - 1, result.toString());
        assertTrue(result.stderr().contains("mkdir: cannot create directory"), result.toString());
        host("rm " + dir + "/link");
        assertEquals(before, tree(dir), "the host changed");
    }

    @Test
    void readOnlyRefusesEveryChange() {
        Path dir = world();
        String before = tree(dir);
        Commands.Result result = inView(dir, "mount -t viewfs -o ro,except=tmp " + dir + "/etc " + dir + "/etc || exit 9;"
                + " cat etc/conf; echo x > etc/conf; touch etc/new; rm etc/conf; mkdir etc/d; chmod 777 etc/conf;"
                + " mv etc/conf etc/moved; ln etc/conf etc/hard; cd etc && echo y > conf2; echo z > tmp/allowed && cat tmp/allowed");
        assertEquals("conf\nz\n", result.stdout(), result.toString());
        assertEquals(8, result.stderr().split("Read-only file system", -1).length - 1, result.toString());
        host("rm " + dir + "/etc/tmp/allowed");
        assertEquals(before, tree(dir), "the host changed");
    }

    @Test
    void bindShowsTheSourceAndWritesReachIt() {
        Path dir = world();
        Commands.Result result = inView(dir, "mount -t viewfs src " + dir + "/bound || exit 9; cat bound/file;"
                + " echo more >> bound/file; ls bound; findmnt -n -o FSTYPE " + dir + "/bound; umount bound; ls bound 2>&1 | grep -c 'No such'")
                .assertSuccess("bind");
        assertEquals("src\nfile\nviewfs\n1\n", result.stdout());
        assertEquals("src\nmore\n", host("cat " + dir + "/src/file").stdout());
        assertEquals("0\n", host("ls " + dir + " | grep -c bound || true").stdout(), "the mount point never existed on the host");
    }

    @Test
    void exceptLeavesASubtreeVisible() {
        Path dir = world();
        Commands.Result result = inView(dir, "mount -t viewfs -o hide,except=keep none " + dir + "/home/secret || exit 9;"
                + " cat home/secret/keep/note; cat home/secret/key 2>&1 | grep -c 'No such'");
        assertEquals("note\n1\n", result.stdout(), result.toString());
    }

    @Test
    void unsupportedModeFailsWithItsName() {
        Path dir = world();
        Commands.Result result = inView(dir, "mount -t viewfs -o cow src " + dir + "/c; echo status $?");
        assertEquals("status 32\n", result.stdout());
        assertTrue(result.stderr().contains("mode cow is not supported yet"), result.toString());
    }
}
