/*
 * TCP over 127.0.0.1 between two processes, with send and recv as most programs use them
 * (sendto and recvfrom with no address): "stream BYTES" sends BYTES in 64 KiB pieces and
 * prints the MB/s the receiver saw; "pingpong N" makes N one-byte request/response round
 * trips and prints the microseconds of one. The timing starts once the connection is up.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "stream") && strcmp(argv[1], "pingpong")))
        return fprintf(stderr, "usage: net-loop stream BYTES | pingpong N\n"), 2;
    long count = atol(argv[2]);
    int one = 1, listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) || listen(listener, 1)
        || getsockname(listener, (struct sockaddr *)&a, &len))
        die("server");
    static char buf[65536];
    pid_t child = fork();
    if (child == 0) { /* the client */
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a))
            die("connect");
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (argv[1][0] == 's') {
            for (long sent = 0; sent < count;) {
                ssize_t n = send(c, buf, count - sent < (long)sizeof buf ? count - sent : (long)sizeof buf, 0);
                if (n <= 0)
                    die("write");
                sent += n;
            }
        } else {
            for (long i = 0; i < count; i++)
                if (send(c, "q", 1, 0) != 1 || recv(c, buf, 1, 0) != 1)
                    die("round trip");
        }
        _exit(0);
    }
    int s = accept(listener, NULL, NULL);
    if (s < 0)
        die("accept");
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    double start = now();
    if (argv[1][0] == 's') {
        long got = 0;
        for (ssize_t n; (n = recv(s, buf, sizeof buf, 0)) > 0;)
            got += n;
        if (got != count)
            return fprintf(stderr, "got %ld of %ld bytes\n", got, count), 1;
        printf("%.0f\n", count / (now() - start) / 1e6);
    } else {
        for (long i = 0; i < count; i++)
            if (recv(s, buf, 1, 0) != 1 || send(s, "r", 1, 0) != 1)
                die("answer");
        printf("%.1f\n", (now() - start) / count * 1e6);
    }
    waitpid(child, NULL, 0);
    return 0;
}
