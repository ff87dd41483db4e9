package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What root types on a real machine, typed by the ordinary user in a view with util-linux
 * mount(8): --bind, -o remount,bind,ro and back, --move, --rbind, propagation changes. The host
 * sees only what was written through the bind, into its source.
 */
class MountHabitsTest {
    private final Sandbox sandbox = Sandbox.get();

    private Commands.Result host(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", script)).assertSuccess(script);
    }

    @Test
    void bindRemountMoveAndRbindWorkAsForRoot() {
        Path dir = sandbox.work.resolve("habits-" + System.nanoTime());
        host("mkdir -p " + dir + "/src " + dir + "/dst " + dir + "/moved " + dir + "/r && echo a > " + dir + "/src/f");
        String script = "cd " + dir + " && mount --bind src dst && cat dst/f && echo b > dst/g && cat src/g"
                + " && findmnt -n -o TARGET,FSTYPE " + dir + "/dst | tr -s ' '"
                + " && mount -o remount,bind,ro dst && { (echo c > dst/h) 2>/dev/null || echo refused; } && cat dst/f"
                + " && mount -o remount,bind,rw dst && echo d > dst/h && cat src/h"
                // mount(8) then says it cannot update /run/mount/utab (an ordinary user's): the move is made.
                + " && { mount --move dst moved 2>/dev/null; cat moved/f; ls dst | wc -l; }"
                + " && umount moved && ls moved | wc -l"
                + " && mount --rbind src r && cat r/f && umount r && mount --make-rprivate / && echo propagation";
        String view = sandbox.umview("bash", "-c", script).assertSuccess("mount habits").stdout();
        assertEquals("a\nb\n" + dir + "/dst viewfs\nrefused\na\nd\na\n0\n0\na\npropagation\n", view);
        assertEquals("a\nb\nd\n", host("cat " + dir + "/src/f " + dir + "/src/g " + dir + "/src/h").stdout());
        assertEquals("0\n", host("cd " + dir + " && find dst moved r -mindepth 1 | wc -l").stdout(), "the mount points stay empty");
    }

    @Test
    void tmpfsIsAnEmptyTreeOfTheViewsOwnGoneAtUmount() {
        Path dir = sandbox.work.resolve("tmpfs-" + System.nanoTime());
        host("mkdir -p " + dir + "/t && echo host > " + dir + "/t/below");
        String script = "cd " + dir + " && mount -t tmpfs -o size=1M tmpfs t && stat -c %a t && ls t | wc -l && echo x > t/f"
                + " && cat t/f && findmnt -n -o FSTYPE " + dir + "/t && umount t && cat t/below"
                + " && mount -t tmpfs -o ro,mode=700 none t && stat -c %a t && { (echo y > t/g) 2>/dev/null || echo read-only; }"
                + " && umount t && { mount -t tmpfs -o bogus none t 2>/dev/null || echo refused; }";
        String view = sandbox.umview("bash", "-c", script).assertSuccess("tmpfs").stdout();
        assertEquals("1777\n0\nx\ntmpfs\nhost\n700\nread-only\nrefused\n", view);
        assertEquals("below\n", host("ls " + dir + "/t").stdout(), "nothing reached the host's directory");
    }
}
