package org.umview.libc;

import jnr.ffi.Pointer;

/** libc calls used once per view or per process: spawning, pipes, the terminal, signal masks. */
public interface ProcessControl {
    int posix_spawn(Pointer pid, String path, Pointer fileActions, Pointer attr, String[] argv, String[] envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path);

    /** pidfd_open and pidfd_getfd, which glibc wraps only lately; their numbers are the same on every architecture. */
    long syscall(long number, long a, long b, long c);

    /** The socket calls of six arguments (sendto, recvfrom) on the supervisor's own sockets. */
    long syscall(long number, long a, long b, long c, long d, long e, long f);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    int posix_spawnattr_destroy(Pointer attr);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int sigaddset(Pointer set, int signal);

    int pthread_sigmask(int how, Pointer set, Pointer oldSet);

    int pipe2(Pointer fds, int flags);

    long write(int fd, Pointer buf, long count);

    int close(int fd);

    long lseek(int fd, long offset, int whence);

    int open(String path, int flags);

    /** For the FIFOs of served file systems, made by the supervisor for the view. */
    int mkfifo(String path, int mode);

    int isatty(int fd);

    int tcgetpgrp(int fd);

    int tcsetpgrp(int fd, int pgrp);

    int getpgrp();

    int getpid();

    int gettid();
}
