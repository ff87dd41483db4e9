package org.umview.trace;

/** Decodes a waitpid status word as the kernel builds it for a tracer. */
final class WaitStatus {
    static final int SIGTRAP = 5;
    static final int SIGKILL = 9;
    static final int SIGCHLD = 17;
    static final int SIGSTOP = 19;
    static final int SYSCALL_STOP = SIGTRAP | 0x80;

    static final int EVENT_FORK = 1;
    static final int EVENT_VFORK = 2;
    static final int EVENT_CLONE = 3;
    static final int EVENT_EXEC = 4;
    static final int EVENT_VFORK_DONE = 5;
    static final int EVENT_EXIT = 6;
    static final int EVENT_SECCOMP = 7;
    static final int EVENT_STOP = 128;

    private WaitStatus() {
    }

    static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    static boolean killed(int status) {
        return ((status & 0x7f) + 1) >> 1 > 0 && (status & 0xff) != 0x7f;
    }

    static int termSignal(int status) {
        return status & 0x7f;
    }

    static boolean stopped(int status) {
        return (status & 0xff) == 0x7f;
    }

    static int stopSignal(int status) {
        return (status >> 8) & 0xff;
    }

    static int event(int status) {
        return status >>> 16;
    }

    /** A stop signal of job control: the tracee is entering group-stop. */
    static boolean isJobControlStop(int signal) {
        return signal == 19 /* SIGSTOP */ || signal == 20 /* SIGTSTP */
                || signal == 21 /* SIGTTIN */ || signal == 22 /* SIGTTOU */;
    }
}
