/* Calls the kernel never interrupts, made while signals with handlers that have no SA_RESTART
 * arrive all the time: fork (SIGCHLD of the children), stat (SIGUSR1 from a child every 50 us).
 * Natively none fails with EINTR. Prints the counts. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void ignore(int signo) { (void)signo; }

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/etc/hostname";
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ignore; /* no SA_RESTART */
    sigaction(SIGCHLD, &action, NULL);
    sigaction(SIGUSR1, &action, NULL);
    int fork_eintr = 0, stat_eintr = 0, failed = 0;
    for (int i = 0; i < 1000; i++) {
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        if (child < 0)
            errno == EINTR ? fork_eintr++ : failed++;
        if (i % 4 == 0)
            while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
    }
    while (wait(NULL) > 0)
        ;
    pid_t parent = getpid();
    pid_t sender = fork();
    if (sender == 0) {
        for (int i = 0; i < 20000; i++) {
            kill(parent, SIGUSR1);
            usleep(50);
        }
        _exit(0);
    }
    struct stat st;
    for (int i = 0; i < 50000; i++)
        if (stat(path, &st) != 0)
            errno == EINTR ? stat_eintr++ : failed++;
    kill(sender, SIGKILL);
    waitpid(sender, NULL, 0);
    printf("fork EINTR %d, stat EINTR %d, other failures %d\n", fork_eintr, stat_eintr, failed);
    return 0;
}
