package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ummiscuname: a view's own system names, as files and through uname(2) and sethostname(2). */
class UmmiscTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void namesAreFilesAndUnameAndHostnameSeeThem() {
        String dir = sandbox.work.resolve("uts-" + System.nanoTime()).toString();
        String hostName = sandbox.nativeRun(List.of("uname", "-n")).stdout();
        String hostRelease = sandbox.nativeRun(List.of("uname", "-r")).stdout();
        Commands.Result result = sandbox.umview("bash", "-c", "mkdir " + dir + " && mount -t ummiscuname -o machine=vax none "
                + dir + " || exit 9; cat " + dir + "/nodename; ls " + dir + " | tr '\\n' ' '; echo; hostname inview && hostname;"
                + " uname -n; cat " + dir + "/nodename; echo 9.9.9-view > " + dir + "/release; uname -r; uname -m;"
                + " python3 -c 'import socket, os; print(socket.gethostname(), os.uname().release)'")
                .assertSuccess("ummiscuname");
        assertEquals(hostName + "domainname machine nodename release sysname version \ninview\ninview\ninview\n9.9.9-view\nvax\n"
                + "inview 9.9.9-view\n", result.stdout());
        assertEquals(hostName, sandbox.nativeRun(List.of("uname", "-n")).stdout(), "the host's name changed");
        assertEquals(hostRelease, sandbox.nativeRun(List.of("uname", "-r")).stdout());
    }

    @Test
    void withoutTheMountHostnameIsRefusedAsOnTheHost() {
        Commands.Result result = sandbox.umview("bash", "-c", "hostname other; echo status $?");
        assertEquals("status 1\n", result.stdout(), result.toString());
    }

    @Test
    void identityMountMakesIdSayRootAndTheKernelStillUsesTheRealIds() {
        String dir = sandbox.work.resolve("ids-" + System.nanoTime()).toString();
        String realUid = sandbox.nativeRun(List.of("id", "-u")).stdout();
        Commands.Result result = sandbox.umview("bash", "-c", "mkdir " + dir + " && mount -t ummiscuid none " + dir + " || exit 9;"
                + " id -u; id -g; whoami; echo 1234 > " + dir + "/uid; echo 99 > " + dir + "/gid; cat " + dir + "/uid; id -u;"
                + " python3 -c 'import os; print(os.geteuid(), os.getresgid())'; touch " + dir + "-made; stat -c %u " + dir + "-made")
                .assertSuccess("ummiscuid");
        assertEquals("0\n0\nroot\n1234\n1234\n1234 (99, 99, 99)\n" + realUid, result.stdout());
    }

    @Test
    void viewsuAndViewsudoChangeOnlyTheirOwnProcesses() {
        String realUid = sandbox.nativeRun(List.of("id", "-u")).stdout();
        Commands.Result result = sandbox.umview("bash", "-c", "viewsu -c 'id -u; whoami'; viewsudo -u " + Sandbox.TEST_USER
                + " -g root sh -c 'id -g; id -un'; id -u; viewsu nosuchuser; echo status $?");
        assertEquals("0\nroot\n0\n" + Sandbox.TEST_USER + "\n" + realUid + "status 1\n", result.stdout(), result.toString());
        Commands.Result outside = sandbox.nativeRun(List.of(sandbox.root.resolve("um-tools/target/bin/viewsu").toString()));
        assertEquals(1, outside.exitCode());
        assertEquals("viewsu: not running inside umview\n", outside.stderr());
    }

    @Test
    void timeMountShiftsAndScalesTheWallClock() {
        String dir = sandbox.work.resolve("clock-" + System.nanoTime()).toString();
        String year = sandbox.nativeRun(List.of("date", "+%Y")).stdout().strip();
        Commands.Result result = sandbox.umview("bash", "-c", "mkdir " + dir + " && mount -t ummisctime none " + dir + " || exit 9;"
                + " echo 315576000 > " + dir + "/offset; date +%Y; python3 -c 'import time; print(time.gmtime(time.time()).tm_year)';"
                + " cat " + dir + "/offset; echo new > " + dir + ".new; date -r " + dir + ".new +%Y;"
                + " python3 -c 'import os, time; print(abs(os.stat(\"" + dir + ".new\").st_mtime - time.time()) < 60)';"
                + " touch -d 2001-02-03 " + dir + ".old; date -r " + dir + ".old +%Y; date -r /bin/sh +%Y;"
                + " echo 0 > " + dir + "/offset; echo 10 > " + dir + "/frequency;"
                + " a=$(date +%s); sleep 1; b=$(date +%s); echo $(( b - a >= 9 && b - a <= 12 ))")
                .assertSuccess("ummisctime");
        int later = Integer.parseInt(year) + 10;
        String shell = sandbox.nativeRun(List.of("date", "-r", "/bin/sh", "+%Y")).stdout();
        assertEquals(later + "\n" + later + "\n315576000\n" + later + "\nTrue\n2001\n" + shell + "1\n", result.stdout());
        assertEquals(year + "\n", sandbox.nativeRun(List.of("date", "-r", dir + ".new", "+%Y")).stdout(),
                "the file's time on the host is the host's");
        assertEquals(year + "\n", sandbox.nativeRun(List.of("date", "+%Y")).stdout(), "the host's clock changed");
    }
}
