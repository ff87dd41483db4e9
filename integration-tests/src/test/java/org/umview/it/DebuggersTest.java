package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16: strace, gdb and ltrace inside a view, on programs of the view, as the ordinary
 * user: the supervisor stays the kernel's tracer and emulates ptrace for them. Each is
 * compared with the same debugger run natively where the output allows it.
 */
class DebuggersTest {
    private static final String PACKAGES = "strace gdb ltrace";
    /** A module serving paths elsewhere: every path call of the traced programs then reaches the supervisor. */
    private static final String ELSEWHERE = "/umview-elsewhere-";
    private final Sandbox sandbox = Sandbox.get();

    private Path dir(String name) {
        Path dir = sandbox.work.resolve(name + "-" + System.nanoTime());
        sandbox.nativeRun(List.of("mkdir", "-p", dir.toString())).assertSuccess("mkdir");
        return dir;
    }

    /** {@code command} in a view, with a path module mounted elsewhere when {@code withModule}. */
    private Commands.Result inView(String intercept, boolean withModule, List<String> command) {
        List<String> args = new ArrayList<>();
        if (withModule) {
            args.addAll(List.of("-p", "real", "/usr/bin/python3", sandbox.resource("mount_then.py").toString(), "real", "none",
                    ELSEWHERE + System.nanoTime(), "--"));
        }
        args.addAll(command);
        return sandbox.umviewIntercepting(intercept, args);
    }

    /**
     * What strace -ff wrote, one entry per process: its calls' names and outcomes (the errno's
     * name, or "ok"), addresses, pids and the data read left out; sorted, since processes are
     * numbered by pid.
     */
    private static List<String> callsPerProcess(Path dir) {
        List<String> processes = new ArrayList<>();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("log.")).toList()) {
                StringBuilder calls = new StringBuilder();
                for (String line : Files.readAllLines(log)) {
                    calls.append(outline(line)).append('\n');
                }
                processes.add(calls.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        processes.sort(null);
        return processes;
    }

    private static String outline(String line) {
        if (line.startsWith("+++")) {
            return line;
        }
        if (line.startsWith("---")) {
            return line.split(" ")[1]; // the signal; its siginfo tells times
        }
        int open = line.indexOf('(');
        String name = open < 0 ? line : line.substring(0, open);
        int result = line.lastIndexOf(" = ");
        String outcome = result < 0 ? "?" : line.substring(result + 3).startsWith("-1 E")
                ? line.substring(result + 6).split(" ")[0] : "ok";
        return name + " " + outcome;
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void straceFollowsForksWithTheCallsAndResultsOfNative(String intercept) {
        Sandbox.require(PACKAGES, "strace");
        Path natively = dir("strace-native");
        Path viewed = dir("strace-view");
        // The same environment both ways: the view puts its commands first on PATH, and dash looks up its cwd without PWD.
        String script = "PATH=/usr/bin:/bin; ls / >/dev/null; cat /etc/hostname";
        sandbox.nativeRun(List.of("env", "-u", "PWD", "strace", "-ff", "-qq", "-o", natively + "/log", "sh", "-c", script))
                .assertSuccess("natively");
        Commands.Result view = inView(intercept, false, List.of("env", "-u", "PWD", "strace", "-ff", "-qq", "-o", viewed + "/log",
                "sh", "-c", script)).assertSuccess("in a view");
        assertEquals(sandbox.nativeRun(List.of("cat", "/etc/hostname")).stdout(), view.stdout());
        List<String> expected = callsPerProcess(natively);
        assertEquals(3, expected.size(), "sh, ls and cat: " + expected);
        assertEquals(expected, callsPerProcess(viewed));
    }

    /** The program's own call on a path of the mount, and the bytes it read, as the view gave them. */
    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void straceSeesAProgramReadAServedFile(String intercept) {
        Sandbox.require("e2fsprogs fuse2fs " + PACKAGES, "mke2fs", "fuse2fs", "strace");
        Path dir = dir("strace-ext2");
        sandbox.nativeRun(List.of("bash", "-c", "cd " + dir + " && mkdir -p src mnt && echo served-bytes > src/f.txt"
                + " && PATH=$PATH:/usr/sbin:/sbin mke2fs -q -t ext2 -d src disk.img 8M")).assertSuccess("mke2fs");
        Commands.Result result = sandbox.umviewIntercepting(intercept, List.of("bash", "-c", "cd " + dir
                + " && mount -t umfuseext2 disk.img mnt && strace -o log head -c 64 mnt/f.txt")).assertSuccess("strace in the view");
        assertEquals("served-bytes\n", result.stdout());
        String log = sandbox.nativeRun(List.of("cat", dir + "/log")).assertSuccess("the log").stdout();
        assertTrue(log.contains("openat(AT_FDCWD, \"mnt/f.txt\", O_RDONLY) = 3"), log);
        assertTrue(log.matches("(?s).*read\\(3, \"served-bytes\\\\n\", 64\\) += 13\n.*"), log);
        assertTrue(log.contains("+++ exited with 0 +++"), log);
    }

    /** strace's own seccomp filter in the program it starts: its stops are emulated, the build is traced whole. */
    @Test
    void straceWithItsSeccompFilterTracesABuild() {
        Sandbox.require(PACKAGES + " make gcc", "strace", "make", "gcc");
        Path dir = dir("strace-make");
        sandbox.nativeRun(List.of("bash", "-c", "cd " + dir + " && printf 'int one(void){return 1;}\\n' > one.c"
                + " && printf 'int one(void);\\nint main(void){return one()-1;}\\n' > main.c"
                + " && printf 'prog: one.o main.o\\n\\tcc -o prog one.o main.o\\n%%.o: %%.c\\n\\tcc -c $<\\n' > Makefile"))
                .assertSuccess("the sources");
        Commands.Result result = sandbox.umview("bash", "-c", "cd " + dir
                + " && strace --seccomp-bpf -f -e trace=%file -o log make -j2 && ./prog").assertSuccess("a build under strace");
        assertFalse(result.stderr().contains("seccomp filter is requested but unavailable"), result.stderr());
        String log = sandbox.nativeRun(List.of("cat", dir + "/log")).assertSuccess("the log").stdout();
        for (String seen : List.of("\"one.c\"", "\"main.c\"", "execve(\"/usr/bin/cc\"", "\"prog\"")) {
            assertTrue(log.contains(seen), seen + " in\n" + log);
        }
        assertFalse(log.contains("read("), "only file calls are traced:\n" + log);
    }

    /** strace -p attaches to a process of the view that is not its child, and detaches on SIGINT; the process goes on. */
    @Test
    void straceAttachesToARunningProcessAndLetsItGo() {
        Sandbox.require(PACKAGES, "strace");
        Path dir = dir("strace-p");
        Commands.Result result = sandbox.umview("bash", "-c", "cd " + dir
                + " || exit 9; (for i in $(seq 30); do cat /etc/hostname >/dev/null; sleep 0.05; done; echo loop-done) & pid=$!;"
                + " sleep 0.3; timeout -s INT 0.8 strace -p $pid -o log; wait $pid; echo status=$?").assertSuccess("strace -p");
        assertTrue(result.stdout().contains("loop-done\nstatus=0"), result.stdout());
        assertTrue(result.stderr().contains("attached") && result.stderr().contains("detached"), result.stderr());
        String log = sandbox.nativeRun(List.of("cat", dir + "/log")).assertSuccess("the log").stdout();
        assertTrue(log.contains("wait4(") || log.contains("clone("), log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void gdbStopsAtABreakpointAndTheProgramEndsWithItsStatus(String intercept) {
        Sandbox.require(PACKAGES, "gdb");
        String program = sandbox.compileForDebugging("debuggee").toString();
        Commands.Result result = inView(intercept, true, List.of("gdb", "-q", "-batch", "-ex", "break square", "-ex", "run",
                "-ex", "bt", "-ex", "info registers rip", "-ex", "continue", program)).assertSuccess("gdb");
        String out = result.stdout();
        assertTrue(out.contains("Breakpoint 1, square (x=7)"), out);
        assertTrue(out.matches("(?s).*#1 +0x[0-9a-f]+ in main \\(argc=1.*"), out);
        assertTrue(out.matches("(?s).*rip +0x[0-9a-f]+ +0x[0-9a-f]+ <square\\+[0-9]+>.*"), out);
        assertTrue(out.contains("value 49"), out);
        assertTrue(out.contains("exited with code 03"), out);
    }

    @Test
    void gdbSeesEveryThread() {
        Sandbox.require(PACKAGES, "gdb");
        String program = sandbox.compileForDebugging("debuggee_threads").toString();
        Commands.Result result = sandbox.umview("gdb", "-q", "-batch", "-ex", "break worker", "-ex", "run", "-ex", "info threads",
                "-ex", "thread apply all bt", "-ex", "delete", "-ex", "continue", program).assertSuccess("gdb");
        String out = result.stdout();
        assertEquals(3, out.lines().filter(l -> l.matches("^\\*? +[123] +Thread .*")).count(), out);
        assertEquals(3, out.lines().filter(l -> l.matches("^Thread [123] \\(Thread .*")).count(), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("^#0 +worker .*")), out); // the other may not be there yet
        assertTrue(out.contains("counter 6") && out.contains("exited normally"), out);
    }

    @Test
    void gdbAttachesToARunningProcessAndDetaches() {
        Sandbox.require(PACKAGES, "gdb");
        Commands.Result result = sandbox.umview("bash", "-c", "(sleep 1.5; echo slept) & pid=$!; sleep 0.3;"
                + " gdb -q -batch -p $pid -ex 'info registers rip' -ex detach; wait $pid; echo status=$?").assertSuccess("gdb -p");
        assertTrue(result.stdout().matches("(?s).*rip +0x[0-9a-f]+.*"), result.stdout());
        assertTrue(result.stdout().contains("slept\nstatus=0"), result.stdout());
    }

    @Test
    void ltraceSeesALibraryCall() {
        Sandbox.require(PACKAGES, "ltrace");
        String program = sandbox.compileForDebugging("mallocs").toString(); // at -O2 gcc leaves the malloc out
        Commands.Result result = sandbox.umview("ltrace", "-e", "malloc", program).assertSuccess("ltrace");
        assertTrue(result.stderr().contains("->malloc(123)"), result.stderr());
        assertTrue(result.stderr().contains("+++ exited (status 0) +++"), result.stderr());
    }

    /** A process outside the view cannot be attached; one that does not exist is ESRCH, as natively. */
    @Test
    void aProcessOutsideTheViewCannotBeAttached() {
        String program = sandbox.compile("ptrace_attach").toString();
        Commands.Result outside = sandbox.nativeRun(List.of("bash", "-c", "sleep 5 & pid=$!; " + sandbox.umviewCommand()
                + " " + program + " $pid; kill $pid"));
        assertEquals("attach: EPERM\n", outside.stdout(), outside.stderr());
        Commands.Result missing = sandbox.umview(program, "999999999");
        assertEquals("attach: ESRCH\n", missing.stdout(), missing.stderr());
        Commands.Result inside = sandbox.umview("bash", "-c", "sleep 5 & pid=$!; " + program + " $pid; kill $pid");
        assertEquals("attach: ok\n", inside.stdout(), inside.stderr());
    }

    /**
     * A second supervisor inside a view (what the in-view umview starts for options a split of
     * the view cannot do): it traces its programs through the emulated ptrace, its own hiding
     * holds for them (even where the outer view's listener takes path calls first), and the
     * outer view is as it was.
     */
    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void aNestedUmviewWithItsOwnTraceRunsInsideAView(String intercept) {
        Path trace = sandbox.work.resolve("nested-trace-" + System.nanoTime() + ".log");
        Commands.Result result = inView(intercept, true, List.of("bash", "-c", "umview --hide /etc/hostname --trace=" + trace
                + " sh -c 'cat /etc/hostname; echo inner=$?'; cat /etc/hostname >/dev/null && echo outer sees it"))
                .assertSuccess("a nested umview");
        assertTrue(result.stdout().contains("inner=1\nouter sees it\n"), result.stdout());
        String log = sandbox.nativeRun(List.of("cat", trace.toString())).assertSuccess("the nested trace").stdout();
        assertTrue(log.lines().anyMatch(l -> l.contains("\"/etc/hostname\"") && l.contains("ENOENT") && l.contains("[umview")), log);
    }

    /**
     * /proc/PID/status (served where path calls are trapped) tells a program its own tracer (its
     * debugger in the view, or none: never umview), its own no_new_privs and seccomp mode, and a
     * stopped debuggee's state, as natively.
     */
    @Test
    void procStatusTellsTheDebuggerNotTheSupervisor() {
        Sandbox.require(PACKAGES, "strace", "gdb");
        String fields = "grep -E '^(TracerPid|NoNewPrivs|Seccomp):' /proc/self/status | sed \"s/\\b$PPID\\b/STRACE/\"";
        List<String> command = List.of("strace", "-f", "-o", "/dev/null", "sh", "-c", fields);
        String natively = sandbox.nativeRun(command).assertSuccess("natively").stdout();
        assertEquals("TracerPid:\tSTRACE\nNoNewPrivs:\t0\nSeccomp:\t0\n", natively);
        assertEquals(natively, inView("notify", true, command).assertSuccess("in a view with a module").stdout());
        assertEquals("TracerPid:\t0\nNoNewPrivs:\t0\nSeccomp:\t0\n", inView("notify", true, List.of("sh", "-c", fields))
                .assertSuccess("with a module, no debugger").stdout());
        String stopped = "sleep 3 & pid=$!; sleep 0.3; gdb -q -batch -p $pid -ex \"shell grep State: /proc/$pid/status\""
                + " -ex detach 2>/dev/null | grep State; grep State: /proc/$pid/status; kill $pid";
        String nativeStates = sandbox.nativeRun(List.of("bash", "-c", stopped)).assertSuccess("natively").stdout();
        assertEquals("State:\tt (tracing stop)\nState:\tS (sleeping)\n", nativeStates);
        assertEquals(nativeStates, inView("notify", true, List.of("bash", "-c", stopped)).assertSuccess("in a view").stdout());
    }

    /** A debugger killed lets its tracees go on (strace), or takes them with it if it asked PTRACE_O_EXITKILL (gdb), as natively. */
    @Test
    void aKilledDebuggerDetachesOrKillsAsItAsked() {
        Sandbox.require(PACKAGES, "strace", "gdb");
        Path dir = dir("killed-debugger");
        String script = "cd " + dir + "; strace -o /dev/null sh -c 'sleep 1; echo survived' & s=$!; sleep 0.5; kill -9 $s;"
                + " gdb -q -batch -ex run --args sh -c 'sleep 1; touch lived' >/dev/null 2>&1 & g=$!; sleep 0.7; kill -9 $g;"
                + " sleep 1.5; [ -e lived ] && echo gdb-inferior-lived || echo gdb-inferior-killed";
        String natively = sandbox.nativeRun(List.of("bash", "-c", script)).stdout();
        assertEquals("survived\ngdb-inferior-killed\n", natively);
        sandbox.nativeRun(List.of("rm", "-f", dir + "/lived"));
        assertEquals(natively, sandbox.umview("bash", "-c", script).stdout());
    }
}
