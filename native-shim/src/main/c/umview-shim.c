/*
 * umview-shim: the first process of a view.
 *
 * The supervisor spawns this program from its tracer thread, attaches to it with
 * PTRACE_SEIZE while it waits on the sync pipe, then writes the seccomp filter into that
 * pipe and closes it. The shim installs the filter (only now: RET_TRACE without a tracer
 * would fail calls with ENOSYS); a filter that sends calls to a listener (RET_USER_NOTIF) is
 * installed with a new one, whose descriptor the shim announces to the supervisor on the
 * control channel (which takes a copy of it with pidfd_getfd) and closes. It gives the terminal to its own process group so that the
 * keyboard's signals reach the view and never the JVM, and executes the command with the
 * exit statuses a shell would give (126 found but not executable, 127 not found).
 *
 * usage: umview-shim SYNC_FD COMMAND [ARG...]
 *        umview-shim --doorbell FD
 *
 * In its second form it is the tracer's doorbell, a child it does not trace: each time bytes
 * arrive on FD it stops itself, which wakes the tracer's waitpid without a signal handler and
 * without a race; the tracer continues it once it has taken the work that rang. EOF ends it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#define EXIT_UMVIEW_FAILED 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127
#define MAX_FILTER_INSTRUCTIONS 4096
/* The supervisor's control channel, and its request that takes this process's listener. */
#define UMVIEW_CONTROL 0x7a55
#define OP_LISTENER 10
#define FILTER_WANTS_LISTENER 1u

static void fail(const char *what)
{
    fprintf(stderr, "umview: %s: %s\n", what, strerror(errno));
    _exit(EXIT_UMVIEW_FAILED);
}

static void reset_signals(void)
{
    /* Children of JVM threads inherit blocked signals (SIGQUIT) and JVM dispositions. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    }
    /* glibc keeps signals 32 and 33 for itself and refuses to reset them; the kernel does not. */
    struct { void (*handler)(int); unsigned long flags; void (*restorer)(void); unsigned long mask; } dfl = {SIG_DFL, 0, NULL, 0};
    for (int sig = 32; sig <= 33; sig++)
        syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);
}

static size_t read_fully(int fd, void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = read(fd, (char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    return done;
}

/* Blocks until the tracer has attached; returns the filter it sent (len 0: none). */
static struct sock_fprog receive_filter(int sync_fd, uint32_t *flags)
{
    static struct sock_filter program[MAX_FILTER_INSTRUCTIONS];
    struct sock_fprog prog = { 0, program };
    uint32_t header[2];
    if (read_fully(sync_fd, header, sizeof header) != sizeof header) {
        /* The supervisor closed the pipe without attaching: it has reported why. */
        _exit(EXIT_UMVIEW_FAILED);
    }
    uint32_t count = header[0];
    *flags = header[1];
    if (count > MAX_FILTER_INSTRUCTIONS) {
        errno = E2BIG;
        fail("seccomp filter");
    }
    size_t bytes = count * sizeof(struct sock_filter);
    if (read_fully(sync_fd, program, bytes) != bytes) {
        errno = EPIPE;
        fail("seccomp filter");
    }
    close(sync_fd);
    prog.len = (unsigned short)count;
    return prog;
}

/* Without a listener the notified calls go to the tracer: RET_USER_NOTIF would fail them. */
static void trace_notified_calls(struct sock_fprog *prog)
{
    for (unsigned short i = 0; i < prog->len; i++) {
        if (prog->filter[i].code == (BPF_RET | BPF_K) && prog->filter[i].k == SECCOMP_RET_USER_NOTIF)
            prog->filter[i].k = SECCOMP_RET_TRACE;
    }
}

#define UMVIEW_WAIT_KILLABLE_RECV (1U << 5) /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, Linux 5.19 */

static long seccomp_filter(unsigned int flags, struct sock_fprog *prog)
{
    /* SPEC_ALLOW: without it the kernel may force speculative-store-bypass mitigation on
     * every filtered process, a slowdown the view would add to everything it runs. */
    long result = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags | SECCOMP_FILTER_FLAG_SPEC_ALLOW, prog);
    if (result < 0 && errno == EINVAL)
        result = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
    return result;
}

static void install_filter(struct sock_fprog *prog, uint32_t wanted)
{
    if (prog->len == 0)
        return;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        fail("prctl(PR_SET_NO_NEW_PRIVS)");
    if (wanted & FILTER_WANTS_LISTENER) {
        /* WAIT_KILLABLE_RECV: once the supervisor has a call, only a fatal signal ends its wait;
         * another would turn a fork or an open into EINTR for a handler without SA_RESTART. */
        long listener = seccomp_filter(SECCOMP_FILTER_FLAG_NEW_LISTENER | UMVIEW_WAIT_KILLABLE_RECV, prog);
        if (listener < 0 && errno == EINVAL) /* before Linux 5.19 */
            listener = seccomp_filter(SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
        /* EBUSY: umview itself runs under a filter with a listener, and a chain has one at most. */
        long taken = syscall(UMVIEW_CONTROL, OP_LISTENER, listener < 0 ? -errno : listener, 0L);
        if (listener >= 0) {
            if (taken != 0)
                fail("the supervisor could not take the seccomp listener"); /* its calls would fail */
            close((int)listener);
            return;
        }
        trace_notified_calls(prog);
    }
    if (seccomp_filter(0, prog) != 0)
        fail("seccomp");
}

/* Like a shell starting a foreground job: Ctrl-C and Ctrl-Z must reach the view only. */
static void take_terminal(void)
{
    if (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp())
        return;
    if (setpgid(0, 0) != 0)
        return;
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &old);
    tcsetpgrp(STDIN_FILENO, getpgrp());
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void close_range_from(unsigned int first, unsigned int last)
{
    if (first > last || syscall(SYS_close_range, first, last, 0U) == 0)
        return;
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = first; fd <= (long)last && fd < max; fd++)
        close((int)fd);
}

static int by_number(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/*
 * The JVM leaves descriptors without O_CLOEXEC; a transparent view must not show them. Those
 * the caller of umview handed over (3<file, process substitution) stay, at their numbers:
 * the launcher lists them in UMVIEW_HANDED_FDS, which the command never sees.
 */
static void close_inherited_fds(void)
{
    int handed[64];
    int count = 0;
    const char *list = getenv("UMVIEW_HANDED_FDS");
    for (const char *p = list; p != NULL && *p != '\0' && count < 64;) {
        char *end;
        long fd = strtol(p, &end, 10);
        if (end == p)
            break;
        if (fd > 2 && fd < 1 << 20)
            handed[count++] = (int)fd;
        p = end;
    }
    unsetenv("UMVIEW_HANDED_FDS");
    qsort(handed, count, sizeof handed[0], by_number);
    unsigned int next = 3;
    for (int i = 0; i < count; i++) {
        if ((unsigned int)handed[i] >= next) {
            close_range_from(next, (unsigned int)handed[i] - 1);
            next = (unsigned int)handed[i] + 1;
        }
    }
    close_range_from(next, ~0U);
}

static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* execvp with bash's exit statuses and messages. */
static void exec_command(char **argv)
{
    const char *name = argv[0];
    int saved_errno;
    if (strchr(name, '/') != NULL) {
        execv(name, argv);
        saved_errno = errno;
        if (saved_errno == ENOENT) {
            fprintf(stderr, "umview: %s: No such file or directory\n", name);
            _exit(EXIT_NOT_FOUND);
        }
    } else {
        const char *path = getenv("PATH");
        if (path == NULL || *path == '\0')
            path = "/usr/local/bin:/usr/bin:/bin";
        size_t name_len = strlen(name);
        char candidate[4096];
        saved_errno = ENOENT;
        for (const char *dir = path; ; ) {
            const char *end = strchrnul(dir, ':');
            size_t dir_len = (size_t)(end - dir);
            if (dir_len == 0)
                dir = ".", dir_len = 1;
            if (dir_len + 1 + name_len + 1 <= sizeof candidate) {
                memcpy(candidate, dir, dir_len);
                candidate[dir_len] = '/';
                memcpy(candidate + dir_len + 1, name, name_len + 1);
                execv(candidate, argv);
                /* Like bash: a file that exists but cannot be executed beats a later miss;
                 * a directory of PATH we may not search is a miss. */
                if (errno != ENOENT && errno != ENOTDIR && saved_errno == ENOENT
                    && access(candidate, F_OK) == 0)
                    saved_errno = errno;
            }
            if (*end == '\0')
                break;
            dir = end + 1;
        }
        if (saved_errno == ENOENT) {
            fprintf(stderr, "umview: %s: command not found\n", name);
            _exit(EXIT_NOT_FOUND);
        }
    }
    if (saved_errno == EACCES && is_directory(name))
        fprintf(stderr, "umview: %s: Is a directory\n", name);
    else
        fprintf(stderr, "umview: %s: %s\n", name, strerror(saved_errno));
    _exit(EXIT_CANNOT_EXECUTE);
}

static int doorbell(int fd)
{
    char bytes[4096];
    for (;;) {
        ssize_t n = read(fd, bytes, sizeof bytes);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        raise(SIGSTOP);
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--doorbell") == 0) {
        reset_signals();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        return doorbell(atoi(argv[2]));
    }
    if (argc < 3) {
        fprintf(stderr, "usage: umview-shim SYNC_FD COMMAND [ARG...]\n"
                        "(started by umview; not meant to be run by hand)\n");
        return EXIT_UMVIEW_FAILED;
    }
    reset_signals();
    pid_t parent = getppid();
    /* The supervisor's tracer thread is the parent thread: if it goes, the view goes. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(EXIT_UMVIEW_FAILED);

    uint32_t flags;
    struct sock_fprog prog = receive_filter(atoi(argv[1]), &flags);
    take_terminal();
    install_filter(&prog, flags);
    close_inherited_fds();
    exec_command(argv + 2);
    return EXIT_UMVIEW_FAILED;
}
