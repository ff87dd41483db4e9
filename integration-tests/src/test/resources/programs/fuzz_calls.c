/*
 * Throws random arguments at the calls a view traps: bad and half-bad pointers, huge
 * lengths, bad flags, bad and virtual descriptors, paths into mounts and out of them.
 * usage: fuzz_calls SEED ITERATIONS DIR...   (the DIRs are where paths may point)
 *        fuzz_calls --sockets SEED ITERATIONS   (the socket calls, on sockets of every kind:
 *        virtual ones where the view's stack is not the host's; none of them can block)
 * Prints "fuzzed N calls" and exits 0 if it survives; what umview does is the test.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long long state;

static unsigned long long next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static const long calls[] = {
    SYS_open, SYS_openat, SYS_stat, SYS_lstat, SYS_newfstatat, SYS_statx, SYS_access, SYS_faccessat2,
    SYS_readlink, SYS_readlinkat, SYS_mkdir, SYS_mkdirat, SYS_rmdir, SYS_unlink, SYS_unlinkat,
    SYS_rename, SYS_renameat2, SYS_link, SYS_symlink, SYS_chmod, SYS_fchmodat, SYS_chown, SYS_truncate,
    SYS_utimensat, SYS_chdir, SYS_getcwd, SYS_statfs, SYS_mount, SYS_umount2, SYS_uname,
    SYS_sethostname, SYS_getdents64, SYS_read, SYS_write, SYS_pread64, SYS_pwrite64, SYS_readv,
    SYS_writev, SYS_lseek, SYS_fstat, SYS_fstatfs, SYS_ioctl, SYS_fcntl, SYS_dup, SYS_dup2, SYS_dup3,
    SYS_fchdir, SYS_ftruncate, SYS_fsync, SYS_sendfile, SYS_copy_file_range, SYS_getuid,
    SYS_name_to_handle_at, SYS_open_by_handle_at, SYS_io_uring_setup, SYS_process_vm_readv, 0x7a55,
};

/*
 * One random argument: 0, -1, a string running into an unmapped page, an unmapped address, a
 * buffer, a random 48-bit value, or one of what the caller offers: a pointer it names, a
 * descriptor, a value its calls mean something by, a small number below SMALL.
 */
static long random_argument(char *edge, char *unmapped, char *buffer, long pointer, long descriptor, long special,
                            unsigned long small)
{
    switch (next() % 10) {
    case 0: return 0;
    case 1: return -1;
    case 2: return (long)edge;
    case 3: return (long)unmapped;
    case 4: return pointer;
    case 5: return (long)buffer;
    case 6: return descriptor;
    case 7: return (long)(next() & 0xffffffffffffULL);
    case 8: return special;
    default: return (long)(next() % small);
    }
}

static const long socket_calls[] = {
    SYS_socket, SYS_bind, SYS_connect, SYS_listen, SYS_getsockname, SYS_getpeername, SYS_getsockopt,
    SYS_setsockopt, SYS_sendto, SYS_recvfrom, SYS_sendmsg, SYS_recvmsg, SYS_shutdown, SYS_close,
};

/* Random socket calls; every socket is nonblocking and receives never wait, so nothing hangs. */
static int fuzz_sockets(long iterations)
{
    static char buffer[1 << 16];
    long page = sysconf(_SC_PAGESIZE);
    char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area + page, page);
    char *edge = area + page - 8;
    struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = htons(47999), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(47998), .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    int kinds[][3] = { { AF_INET, SOCK_STREAM, 0 }, { AF_INET, SOCK_DGRAM, 0 }, { AF_INET6, SOCK_STREAM, 0 },
                       { AF_INET6, SOCK_DGRAM, 0 }, { AF_NETLINK, SOCK_RAW, NETLINK_ROUTE }, { AF_UNIX, SOCK_DGRAM, 0 } };
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        socket(kinds[i][0], kinds[i][1] | SOCK_NONBLOCK, kinds[i][2]);
    long done = 0;
    for (long n = 0; n < iterations; n++) {
        long call = socket_calls[next() % (sizeof socket_calls / sizeof socket_calls[0])];
        long args[6];
        for (int a = 0; a < 6; a++) {
            long address = (long)(next() % 2 ? (void *)&in4 : (void *)&in6);
            long length = next() % 2 ? sizeof in4 : sizeof in6;
            args[a] = random_argument(edge, area + page, buffer, address, 3 + next() % 12 /* the sockets */, length, 64);
        }
        if (call == SYS_socket)
            args[1] |= SOCK_NONBLOCK;
        if (call == SYS_recvfrom || call == SYS_sendto)
            args[3] |= MSG_DONTWAIT;
        if (call == SYS_recvmsg || call == SYS_sendmsg)
            args[2] |= MSG_DONTWAIT;
        if (call == SYS_close && args[0] <= 2)
            continue;
        syscall(call, args[0], args[1], args[2], args[3], args[4], args[5]);
        done++;
    }
    printf("fuzzed %ld socket calls\n", done);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--sockets") == 0) {
        state = strtoull(argv[2], NULL, 0) | 1;
        return fuzz_sockets(atol(argv[3]));
    }
    if (argc < 4) {
        fprintf(stderr, "usage: fuzz_calls SEED ITERATIONS DIR...\n");
        return 2;
    }
    state = strtoull(argv[1], NULL, 0) | 1;
    long iterations = atol(argv[2]);
    long page = sysconf(_SC_PAGESIZE);
    /* A page of bytes followed by an unmapped one: strings and structs that run off the end. */
    char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area + page, page);
    char *edge = area + page - 8;
    memcpy(edge, "abcdefgh", 8);
    char *buffer = malloc(1 << 16);
    char paths[16][512];
    int npaths = 0;
    for (int i = 3; i < argc && npaths < 12; i++) {
        snprintf(paths[npaths++], 512, "%s/f%d", argv[i], i);
        snprintf(paths[npaths++], 512, "%s", argv[i]);
    }
    snprintf(paths[npaths++], 512, "/proc/self/fd/3");
    snprintf(paths[npaths++], 512, "%s/..", argv[3]);
    for (int i = 3; i < argc; i++) {
        char file[512];
        snprintf(file, sizeof file, "%s/f%d", argv[i], i);
        close(open(file, O_CREAT | O_RDWR, 0644));
        open(file, O_RDWR); /* descriptors, virtual in served mounts, for the fd calls */
        open(argv[i], O_RDONLY | O_DIRECTORY);
    }
    long done = 0;
    for (long n = 0; n < iterations; n++) {
        long call = calls[next() % (sizeof calls / sizeof calls[0])];
        long args[6];
        for (int a = 0; a < 6; a++) {
            long path = (long)paths[next() % npaths];
            args[a] = random_argument(edge, area + page, buffer, path, next() % 24 /* descriptors, small flags */,
                                      -100 /* AT_FDCWD */, 4096);
        }
        if (call == SYS_write || call == SYS_pwrite64 || call == SYS_writev) {
            if (args[0] <= 2)
                continue; /* keep the terminal readable */
        }
        if (call == SYS_dup2 || call == SYS_dup3) {
            if (args[1] <= 2)
                continue;
        }
        if (call == SYS_chdir && args[0] != (long)paths[0])
            continue; /* stay where relative paths mean something */
        syscall(call, args[0], args[1], args[2], args[3], args[4], args[5]);
        done++;
    }
    printf("fuzzed %ld calls\n", done);
    return 0;
}
