/* A thread other than the leader calls execve: the process keeps its pid, every other
 * thread vanishes, and the new program runs. Tracers that assume the leader execs break. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>


static void *exec_it(void *arg)
{
    (void)arg;
    execl("/bin/sh", "sh", "-c", "echo exec from thread: pid $$ ok", (char *)NULL);
    perror("execl");
    return NULL;
}

int main(void)
{
    printf("leader pid %d\n", (int)getpid());
    fflush(stdout);
    pthread_t t;
    pthread_create(&t, NULL, exec_it, NULL);
    for (;;)
        pause();
}
