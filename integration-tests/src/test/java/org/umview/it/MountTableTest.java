package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The view's mounts in /proc, for findmnt and df; EBUSY and lazy unmounts. */
class MountTableTest {
    private final Sandbox sandbox = Sandbox.get();

    private Commands.Result inView(String script) {
        return sandbox.umview(List.of("-p", "unreal", "/usr/bin/python3", sandbox.resource("mount_then.py").toString(),
                "unreal", "none", "/unreal", "--", "bash", "-c", script));
    }

    @Test
    void procListsTheViewMountsAfterTheHostOnes() {
        Commands.Result result = inView("tail -1 /proc/mounts; tail -1 /proc/self/mountinfo | cut -d' ' -f4-; "
                + "grep -c . /proc/self/mounts; grep -c . /proc/$$/mounts").assertSuccess("mount listings");
        String[] lines = result.stdout().split("\n");
        assertEquals("none /unreal unreal rw 0 0", lines[0]);
        assertEquals("/ /unreal rw,relatime - unreal none rw", lines[1]);
        assertEquals(lines[2], lines[3]);
        int host = Integer.parseInt(sandbox.nativeRun(List.of("grep", "-c", ".", "/proc/self/mounts")).stdout().strip());
        assertEquals(host + 1, Integer.parseInt(lines[2]));
    }

    @Test
    void findmntAndDfSeeTheMount() {
        Commands.Result result = inView("findmnt -n -o TARGET,FSTYPE,SOURCE /unreal; df --output=target /unreal/etc | tail -1")
                .assertSuccess("findmnt and df");
        assertEquals("/unreal unreal none\n/unreal\n", result.stdout().replaceAll(" +", " "));
    }

    @Test
    void umountOfABusyMountFailsAndALazyOneWaitsForTheLastFile() {
        String umount = "python3 -c 'import ctypes, os, sys; l = ctypes.CDLL(None, use_errno=True); "
                + "print(l.umount2(b\"/unreal\", int(sys.argv[1])), os.strerror(ctypes.get_errno()))' ";
        Commands.Result result = inView("exec 3< /unreal/etc/hostname; " + umount + "0; " + umount + "2; "
                + "cat <&3; exec 3<&-; ls /unreal 2>&1 | sed 's/.*: //'").assertSuccess("umount");
        String hostname = sandbox.nativeRun(List.of("cat", "/etc/hostname")).stdout();
        assertEquals("-1 Device or resource busy\n0 Success\n" + hostname + "No such file or directory\n", result.stdout());
    }

    @Test
    void umountWhileAProcessWorksInsideIsBusy() {
        Commands.Result result = inView("(cd /unreal/etc && sleep 2) & sleep 0.5; umount /unreal 2>&1; echo status $?; wait;"
                + " umount /unreal; echo status $?");
        assertEquals("umount: /unreal: target is busy.\nstatus 32\nstatus 0\n", result.stdout(), result.toString());
    }
}
