/* Waits that end EINTR themselves, made while a child sends a signal the process ignores every
 * 20 ms and another child's SIGCHLD (ignored by default) comes: natively no wait is woken, so
 * rt_sigtimedwait times out on time and epoll_wait returns the pipe's data. Prints both. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
    signal(SIGUSR2, SIG_IGN);
    pid_t parent = getpid();
    pid_t pester = fork();
    if (pester == 0) {
        for (int i = 0; i < 250; i++) {
            kill(parent, SIGUSR2);
            usleep(20000);
        }
        _exit(0);
    }
    sigset_t none;
    sigemptyset(&none);
    struct timespec timeout = {0, 500000000};
    double start = now();
    long result = syscall(SYS_rt_sigtimedwait, &none, NULL, &timeout, 8);
    double took = now() - start;
    printf("rt_sigtimedwait %ld %s, %s\n", result, result < 0 ? strerror(errno) : "",
           took >= 0.45 && took < 2.0 ? "on time" : took < 0.45 ? "early" : "late");

    int pipefd[2];
    if (pipe(pipefd) != 0) {
        return 1;
    }
    if (fork() == 0) {
        _exit(0); /* its SIGCHLD comes during the wait */
    }
    if (fork() == 0) {
        usleep(300000);
        _exit(write(pipefd[1], "x", 1) == 1 ? 0 : 1);
    }
    int watch = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN};
    epoll_ctl(watch, EPOLL_CTL_ADD, pipefd[0], &event);
    result = epoll_wait(watch, &event, 1, -1);
    printf("epoll_wait %ld %s\n", result, result < 0 ? strerror(errno) : "");
    kill(pester, SIGKILL);
    while (wait(NULL) > 0) {
    }
    return 0;
}
