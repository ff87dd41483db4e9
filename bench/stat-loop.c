/*
 * stat-loop: the cost of one stat(2) of a host file, in microseconds (bench/stat-cost runs it
 * natively and in views where the call is trapped by ptrace or by seccomp user notification).
 *
 * usage: stat-loop [CALLS]    (default 50000, after 1000 calls of warm-up)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

int main(int argc, char **argv)
{
    int calls = argc > 1 ? atoi(argv[1]) : 50000;
    if (calls <= 0) {
        fprintf(stderr, "stat-loop: CALLS must be a positive number\n");
        return 2;
    }
    struct stat st;
    for (int i = 0; i < 1000; i++)
        stat("/etc/passwd", &st);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < calls; i++) {
        if (stat("/etc/passwd", &st) != 0) {
            perror("stat-loop: stat /etc/passwd");
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ns = (end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec);
    printf("%.2f\n", ns / calls / 1000.0);
    return 0;
}
