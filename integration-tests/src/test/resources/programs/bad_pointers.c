/* Hands the supervisor addresses it cannot use: every call must fail with EFAULT (as the
 * kernel would answer) and the view must go on. Run with a served mount at argv[1]. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BAD ((void *)0x10)

static int failures;

static void expect_efault(const char *what, long result)
{
    if (result == -1 && errno == EFAULT) {
        printf("%s: EFAULT\n", what);
    } else {
        printf("%s: got %ld (%s)\n", what, result, strerror(errno));
        failures++;
    }
}

int main(int argc, char **argv)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/etc/passwd", argc > 1 ? argv[1] : "");
    expect_efault("open", syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY));
    expect_efault("stat buffer", syscall(SYS_newfstatat, AT_FDCWD, path, BAD, 0));
    char link[4096];
    snprintf(link, sizeof link, "%s/bin", argc > 1 ? argv[1] : ""); /* a symlink on merged-/usr systems */
    expect_efault("readlink buffer", syscall(SYS_readlinkat, AT_FDCWD, link, BAD, 100));
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        perror(path);
        return 2;
    }
    expect_efault("read buffer", syscall(SYS_read, fd, BAD, 100));
    expect_efault("fstat buffer", syscall(SYS_fstat, fd, BAD));
    expect_efault("mount target", syscall(SYS_mount, "none", BAD, "unreal", 0, NULL));
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/etc", argc > 1 ? argv[1] : "");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    expect_efault("getdents64 buffer", syscall(SYS_getdents64, dfd, BAD, 4096));
    char buf[16];
    long n = read(fd, buf, sizeof buf);
    printf("still serving: %ld\n", n);
    return failures;
}
