package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, what LTP found: a view runs its processes with no_new_privs set, but a program is
 * told its own value and is refused a seccomp filter before it sets it, as natively (prctl02,
 * prctl06); an empty path with move_mount's and fspick's own empty-path flags is the kernel's
 * to answer (open_tree01, mount_setattr01); a NULL path is the kernel's too (acct02: acct(NULL)
 * ends accounting, it is no EFAULT); a served /proc/self/mounts polls POLLPRI after each mount
 * and unmount, as the kernel's (epoll_wait10); a signal the process ignores wakes no wait
 * (rt_sigtimedwait01).
 */
class LtpFindingsTest {
    private final Sandbox sandbox = Sandbox.get();

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void aProgramSeesItsOwnNoNewPrivs(String intercept) {
        String program = sandbox.compile("no_new_privs").toString();
        String natively = sandbox.nativeRun(List.of(program)).assertSuccess("natively").stdout();
        assertEquals("nnp 0\nfilter without nnp: Permission denied\nprctl filter without nnp: Permission denied\nset nnp 0\n"
                + "nnp 1\nfilter with nnp: installed\n", natively);
        assertEquals(natively, sandbox.umviewIntercepting(intercept, List.of(program)).assertSuccess("in a view").stdout());
        assertEquals(natively, sandbox.umviewIntercepting(intercept, List.of("bash", "-c", program + "; true"))
                .assertSuccess("inherited through bash").stdout());
        assertEquals(natively, sandbox.umviewIntercepting(intercept, List.of("--hide", "/nonexistent-" + System.nanoTime(),
                program)).assertSuccess("in a sandbox").stdout());
    }

    /**
     * A signal that comes while a notified call waits for its answer must not turn a fork or a
     * stat into EINTR for a handler without SA_RESTART (dash's SIGCHLD: pjdfstest's "Cannot
     * fork"); natively neither is ever interrupted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void signalsDoNotInterruptCallsTheKernelNeverInterrupts(String intercept) {
        String program = sandbox.compile("signal_restarts").toString();
        String natively = sandbox.nativeRun(List.of(program)).assertSuccess("natively").stdout();
        assertEquals("fork EINTR 0, stat EINTR 0, other failures 0\n", natively);
        assertEquals(natively, withPathModule(intercept, program).assertSuccess("with a path module").stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void aNullPathIsTheKernels(String intercept) {
        String script = "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                + "print(libc.acct(None), os.strerror(ctypes.get_errno()))\n";
        String natively = sandbox.nativeRun(List.of("python3", "-c", script)).assertSuccess("natively").stdout();
        assertEquals(natively, withPathModule(intercept, "python3", "-c", script).assertSuccess("with a path module").stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void emptyPathsWithTheirOwnFlagsAreTheKernels(String intercept) {
        String program = sandbox.compile("empty_paths").toString();
        String natively = sandbox.nativeRun(List.of(program)).assertSuccess("natively").stdout();
        assertEquals(4, natively.lines().count(), natively);
        assertEquals(natively, withPathModule(intercept, program).assertSuccess("with a path module").stdout());
    }

    /**
     * Once the view has mounts, /proc/self/mounts is the view's: epoll must take it and tell a
     * change of the view's mounts with EPOLLPRI until it is read again (natively the mount
     * needs root, so the expected lines are written out).
     */
    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void aServedMountListingPollsTheViewsMountsChanging(String intercept) {
        String dir = sandbox.work.resolve("mount-events-" + intercept + "-" + System.nanoTime()).toString();
        String out = sandbox.umviewIntercepting(intercept, List.of("bash", "-c", "mkdir -p " + dir + "/first " + dir + "/second"
                + " && mount -t tmpfs none " + dir + "/first && python3 " + sandbox.resource("mount_events.py") + " " + dir + "/second"
                + " && exec 3</proc/self/mounts && readlink /proc/self/fd/3 | grep -c /mounts"
                + " && bash -c 'grep -c \" " + dir + "/first tmpfs\" <&3'")).assertSuccess("in a view").stdout();
        assertEquals("opened quiet readable\nmounted changed\nlisted quiet\nunmounted changed\nnot listed quiet\n1\n1\n", out);
    }

    /**
     * A traced thread is woken by signals its process ignores, which natively are dropped when
     * sent: rt_sigtimedwait and epoll_wait must not end with EINTR for them, and the wait keeps
     * its timeout.
     */
    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void signalsTheProcessIgnoresWakeNoWait(String intercept) {
        String program = sandbox.compile("ignored_signals").toString();
        String natively = sandbox.nativeRun(List.of(program)).assertSuccess("natively").stdout();
        assertEquals("rt_sigtimedwait -1 Resource temporarily unavailable, on time\nepoll_wait 1 \n", natively);
        assertEquals(natively, sandbox.umviewIntercepting(intercept, List.of(program)).assertSuccess("in a view").stdout());
        assertEquals(natively, withPathModule(intercept, program).assertSuccess("with a path module").stdout());
    }

    /**
     * Where paths are served new mount namespaces are refused, but what the kernel answers
     * before any permission check (a bad descriptor, flags it rejects) stays its answer
     * (clone302, setns01).
     */
    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void theKernelsErrorsComeBeforeTheSandboxRule(String intercept) {
        String script = sandbox.resource("namespace_errors.py").toString();
        String natively = sandbox.nativeRun(List.of("python3", script)).assertSuccess("natively").stdout();
        assertEquals("clone(CLONE_FS|CLONE_NEWNS) EINVAL\nsetns(bad fd) EBADF\nsetns(regular file) EINVAL\n"
                + "setns(mnt, CLONE_NEWUTS) EINVAL\nsetns(mnt, 0) EPERM\n", natively);
        assertEquals(natively, withPathModule(intercept, "python3", script).assertSuccess("with a path module").stdout());
    }

    /** {@code command} in a view where the real module is mounted where it does not look: every path call is looked at. */
    private Commands.Result withPathModule(String intercept, String... command) {
        List<String> argv = new java.util.ArrayList<>(List.of("-p", "real", "/usr/bin/python3",
                sandbox.resource("mount_then.py").toString(), "real", "none", "/umview-elsewhere-" + System.nanoTime(), "--"));
        argv.addAll(List.of(command));
        return sandbox.umviewIntercepting(intercept, argv);
    }
}
