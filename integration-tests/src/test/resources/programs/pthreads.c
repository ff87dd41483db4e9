/* Many threads, each forking and waiting, sum a result under a mutex. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 16
static long total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg)
{
    long n = (long)arg;
    long sum = 0;
    for (long i = 0; i <= 100000 * n; i++)
        sum += i % 7;
    pid_t child = fork();
    if (child == 0)
        _exit((int)(n & 0x7f));
    int status;
    waitpid(child, &status, 0);
    pthread_mutex_lock(&lock);
    total += sum + WEXITSTATUS(status);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, work, (void *)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("total %ld\n", total);
    return 0;
}
