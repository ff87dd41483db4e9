/* Tries to reach a hidden path or a process outside the view; prints one line per attempt. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static void report(const char *what, int escaped)
{
    printf("%s %s\n", escaped ? "ESCAPED" : "refused", what);
}

int main(int argc, char **argv)
{
    const char *hidden = argv[1];           /* a file under a hidden directory */
    const char *parent = argv[2];           /* the directory the hidden one is in */
    pid_t outside = atoi(argv[3]);          /* a process outside the view */
    char path[4096];

    report("open", open(hidden, O_RDONLY) >= 0);
    snprintf(path, sizeof path, "/proc/self/root%s", hidden);
    report("/proc/self/root", open(path, O_RDONLY) >= 0);
    int elsewhere = open("/usr", O_RDONLY | O_DIRECTORY);
    report("openat(other dirfd, absolute path)", openat(elsewhere, hidden, O_RDONLY) >= 0);
    int dir = open(parent, O_RDONLY | O_DIRECTORY);
    const char *name = hidden + strlen(parent) + 1;
    report("openat(parent dirfd)", openat(dir, name, O_RDONLY) >= 0);
    struct file_handle *handle = malloc(sizeof *handle + 128);
    handle->handle_bytes = 128;
    int mount_id;
    int named = syscall(SYS_name_to_handle_at, AT_FDCWD, parent, handle, &mount_id, 0) == 0;
    report("name_to_handle_at", named);
    report("open_by_handle_at", syscall(SYS_open_by_handle_at, AT_FDCWD, handle, O_RDONLY) >= 0);
    long ring = syscall(SYS_io_uring_setup, 4, calloc(1, 120));
    report("io_uring_setup", ring >= 0);
    report("ptrace attach", ptrace(PTRACE_ATTACH, outside, 0, 0) == 0);
    char byte = 0;
    struct iovec local = {&byte, 1}, remote = {(void *)0x400000, 1};
    long moved = syscall(SYS_process_vm_writev, outside, &local, 1, &remote, 1, 0);
    report("process_vm_writev", moved >= 0 || errno == EFAULT);
    return 0;
}
