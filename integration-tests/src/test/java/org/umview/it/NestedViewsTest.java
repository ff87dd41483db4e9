package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** umview inside a view splits it (the treepoch): what each side sees of the other's mounts. */
class NestedViewsTest {
    private final Sandbox sandbox = Sandbox.get();

    private String mount(String target) {
        return "python3 " + sandbox.resource("mount_then.py") + " unreal none " + target + " -- true";
    }

    @Test
    void eachSideSeesOnlyTheMountsMadeBeforeTheSplitAndItsOwn() {
        String sync = sandbox.work.resolve("split-" + System.nanoTime()).toString();
        String script = "set -e; " + mount("/before") + "\n"
                + "umview -V inner bash -c '"
                + "  echo inner $(vuname -V) $(vuname -N); ls -d /before/etc; " + mount("/inneronly") + "; "
                + "  touch " + sync + ".mounted; while [ ! -e " + sync + ".outer ]; do sleep 0.05; done; "
                + "  ls -d /outerlater 2>&1 | sed \"s/.*: //\"; grep -c unreal /proc/self/mounts' &\n"
                + "while [ ! -e " + sync + ".mounted ]; do sleep 0.05; done\n"
                + mount("/outerlater") + "; touch " + sync + ".outer; wait\n"
                + "echo outer $(vuname -V) $(vuname -N); ls -d /inneronly 2>&1 | sed 's/.*: //'; ls -d /outerlater/etc; "
                + "grep unreal /proc/self/mounts | cut -d' ' -f2 | tr '\\n' ' '; rm -f " + sync + ".*";
        Commands.Result result = sandbox.umview(List.of("-V", "outer", "-p", "unreal", "bash", "-c", script))
                .assertSuccess("nested views");
        assertEquals("inner 2 inner\n/before/etc\nNo such file or directory\n2\n"
                + "outer 1 outer\nNo such file or directory\n/outerlater/etc\n/before /outerlater ", result.stdout());
    }

    @Test
    void theLauncherByItsFullPathSplitsTheView() {
        String script = "echo outer $(vuname -V); " + sandbox.umview + " -V inner bash -c 'echo inner $(vuname -V) $(vuname -N)'";
        Commands.Result result = sandbox.umview(List.of("-V", "outer", "bash", "-c", script)).assertSuccess("umview by its path");
        assertEquals("outer 1\ninner 2 inner\n", result.stdout());
    }

    @Test
    void anEmptyViewIsCollectedWithItsMounts() {
        String script = "umview bash -c '" + mount("/inner") + "; umview bash -c \"" + mount("/innermost") + "\"; "
                + "ls -d /inner/etc /innermost 2>&1 | sed \"s/: No such.*//\"; um_del_service unreal; echo busy $?'; "
                + "um_del_service unreal; echo collected $?";
        Commands.Result result = sandbox.umview(List.of("-p", "unreal", "bash", "-c", script));
        assertEquals("ls: cannot access '/innermost'\n/inner/etc\nbusy 1\ncollected 0\n", result.stdout(), result.toString());
    }

    @Test
    void umshutdownEndsOnlyTheSubView() {
        String script = "umview bash -c 'sleep 100 & umshutdown 1; wait; echo never' ; echo inner ended $?; echo outer goes on";
        Commands.Result result = sandbox.umview("bash", "-c", script).assertSuccess("umshutdown of a sub-view");
        assertEquals("inner ended 143\nouter goes on\n", result.stdout());
    }
}
