/* ptrace(PTRACE_ATTACH, argv[1]) and what it said: "ok" or the error's name. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>

int main(int argc, char **argv) {
    long r = ptrace(PTRACE_ATTACH, atoi(argv[1]), 0, 0);
    printf("attach: %s\n", r == 0 ? "ok" : strerrorname_np(errno));
    return r == 0 ? 0 : 1;
}
