/* Calls whose empty path names their descriptor (move_mount and fspick have flags of their own for it): the kernel says what they do. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
    long r = syscall(SYS_move_mount, fd, "", AT_FDCWD, "/tmp", 0x4 /* MOVE_MOUNT_F_EMPTY_PATH */);
    printf("move_mount from an empty path: %s\n", r == 0 ? "done" : strerror(errno));
    r = syscall(SYS_move_mount, AT_FDCWD, "/tmp", fd, "", 0x40 /* MOVE_MOUNT_T_EMPTY_PATH */);
    printf("move_mount to an empty path: %s\n", r == 0 ? "done" : strerror(errno));
    r = syscall(SYS_fspick, fd, "", 0x8 /* FSPICK_EMPTY_PATH */);
    printf("fspick of an empty path: %s\n", r >= 0 ? "done" : strerror(errno));
    r = syscall(SYS_move_mount, fd, "", AT_FDCWD, "/tmp", 0);
    printf("move_mount from an empty path without the flag: %s\n", r == 0 ? "done" : strerror(errno));
    return 0;
}
