/* Two threads for gdb: info threads and thread apply all bt see three. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static int counter;
void *worker(void *arg) { for (int i = 0; i < 3; i++) { __sync_fetch_and_add(&counter, 1); usleep(1000); } return arg; }
int main(void) {
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    printf("counter %d\n", counter);
    return 0;
}
