/*
 * What a program expects of its TCP and UDP sockets, on 127.0.0.1: run on a virtual stack
 * and natively, it prints the same lines. With "refused PORT" it tries the ways out of a
 * stack without a network instead: a server of the host's at PORT, another address, packet
 * and netlink sockets.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(cond, what) do { if (!(cond)) { printf("FAILED %s: %s\n", what, strerror(errno)); exit(1); } } while (0)

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int port_of(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0 && len == sizeof a && a.sin_family == AF_INET, "getsockname");
    return ntohs(a.sin_port);
}

static int server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 8) == 0, "server");
    return fd;
}

static int client(int port, int flags)
{
    int fd = socket(AF_INET, SOCK_STREAM | flags, IPPROTO_TCP);
    struct sockaddr_in a = loopback(port);
    CHECK(fd >= 0, "socket");
    int r = connect(fd, (struct sockaddr *)&a, sizeof a);
    CHECK(r == 0 || errno == EINPROGRESS, "connect");
    return fd;
}

static void nonblocking_connect_and_epoll(void)
{
    int s = server(), port = port_of(s);
    int c = client(port, SOCK_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLOUT, .data.fd = c }, got;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) == 0 && epoll_wait(ep, &got, 1, 5000) == 1 && (got.events & EPOLLOUT), "epoll out");
    int error = -1;
    socklen_t len = sizeof error;
    CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0, "SO_ERROR");
    char buf[64];
    CHECK(recv(c, buf, sizeof buf, 0) < 0 && errno == EAGAIN, "EAGAIN before data");
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int a = accept(s, (struct sockaddr *)&peer, &plen);
    CHECK(a >= 0 && plen == sizeof peer && peer.sin_family == AF_INET && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK)
          && ntohs(peer.sin_port) == port_of(c), "accept's address");
    ev.events = EPOLLIN;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, c, &ev) == 0 && epoll_wait(ep, &got, 1, 0) == 0, "not readable yet");
    CHECK(send(a, "ping", 4, 0) == 4 && epoll_wait(ep, &got, 1, 5000) == 1, "readable");
    int ready = 0;
    CHECK(ioctl(c, FIONREAD, &ready) == 0 && ready == 4, "FIONREAD");
    CHECK(recv(c, buf, sizeof buf, 0) == 4 && memcmp(buf, "ping", 4) == 0, "data");
    struct sockaddr_in name;
    socklen_t nlen = sizeof name;
    CHECK(getpeername(c, (struct sockaddr *)&name, &nlen) == 0 && ntohs(name.sin_port) == port, "getpeername");
    CHECK(shutdown(a, SHUT_WR) == 0 && epoll_wait(ep, &got, 1, 5000) == 1 && recv(c, buf, sizeof buf, 0) == 0, "shutdown: EOF");
    printf("nonblocking connect, epoll, accept's address, FIONREAD, shutdown: ok\n");
    close(a), close(c), close(s), close(ep);
}

static void on_alarm(int sig)
{
    (void)sig;
}

static void accept_interrupted(void)
{
    int s = server(), port = port_of(s);
    struct sigaction sa = { .sa_handler = on_alarm };
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    int a = accept(s, NULL, NULL);
    CHECK(a < 0 && errno == EINTR, "accept interrupted: EINTR");
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    pid_t child = fork();
    if (child == 0) {
        usleep(1500 * 1000); /* after the alarm */
        int c = client(port, 0);
        CHECK(write(c, "x", 1) == 1, "child writes");
        _exit(0);
    }
    alarm(1);
    a = accept(s, NULL, NULL);
    char x;
    CHECK(a >= 0 && read(a, &x, 1) == 1 && x == 'x', "accept restarted under SA_RESTART");
    waitpid(child, NULL, 0);
    printf("accept: EINTR, and restarted with SA_RESTART: ok\n");
    close(a), close(s);
}

static void poll_socket_and_pipe(void)
{
    int s = server(), c = client(port_of(s), 0), a = accept(s, NULL, NULL), p[2];
    CHECK(a >= 0 && pipe(p) == 0 && write(p[1], "p", 1) == 1, "pipe");
    struct pollfd fds[2] = { { .fd = c, .events = POLLIN }, { .fd = p[0], .events = POLLIN } };
    CHECK(poll(fds, 2, 5000) == 1 && !(fds[0].revents & POLLIN) && (fds[1].revents & POLLIN), "only the pipe");
    CHECK(write(a, "s", 1) == 1 && poll(fds, 1, 5000) == 1 && (fds[0].revents & POLLIN), "then the socket");
    close(a);
    char buf[4];
    CHECK(read(c, buf, 4) == 1 && poll(fds, 1, 5000) == 1 && read(c, buf, 4) == 0, "hang-up");
    printf("poll over a socket and a pipe, hang-up: ok\n");
    close(c), close(s), close(p[0]), close(p[1]);
}

static void fork_and_exec_share(const char *self)
{
    int s = server(), c = client(port_of(s), 0), a = accept(s, NULL, NULL);
    CHECK(a >= 0, "accept");
    pid_t child = fork();
    if (child == 0) {
        char fd[16];
        snprintf(fd, sizeof fd, "%d", c);
        execl(self, self, "exec", fd, (char *)NULL);
        _exit(127);
    }
    int status;
    char buf[64] = "";
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child");
    CHECK(read(a, buf, sizeof buf - 1) == 7 && strcmp(buf, "exec ok") == 0, "what the execed child wrote");
    printf("fork and exec share the socket: ok\n");
    close(a), close(c), close(s);
}

/* The execed child: the descriptor is still an Internet socket, connected. */
static int execed(int fd)
{
    int domain = 0, type = 0, protocol = 0, one = 1, got = 0;
    socklen_t len = sizeof domain;
    CHECK(getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 && domain == AF_INET, "SO_DOMAIN");
    CHECK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM, "SO_TYPE");
    CHECK(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) == 0 && protocol == IPPROTO_TCP, "SO_PROTOCOL");
    CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0, "TCP_NODELAY");
    CHECK(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &got, &len) == 0 && got == 1, "TCP_NODELAY reads back");
    CHECK(write(fd, "exec ok", 7) == 7, "write");
    return 0;
}

static void udp(void)
{
    int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loopback(0), from;
    CHECK(bind(r, (struct sockaddr *)&a, sizeof a) == 0, "udp bind");
    a = loopback(port_of(r));
    CHECK(sendto(w, "one", 3, 0, (struct sockaddr *)&a, sizeof a) == 3, "sendto");
    socklen_t len = sizeof from;
    char buf[16];
    CHECK(recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &len) == 3 && len == sizeof from
          && ntohs(from.sin_port) == port_of(w) && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "recvfrom's address");
    struct iovec iov = { .iov_base = "two", .iov_len = 3 };
    struct msghdr msg = { .msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1 };
    CHECK(sendmsg(w, &msg, 0) == 3, "sendmsg");
    struct iovec in = { .iov_base = buf, .iov_len = sizeof buf };
    struct msghdr got = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &in, .msg_iovlen = 1 };
    memset(&from, 0, sizeof from);
    CHECK(recvmsg(r, &got, 0) == 3 && got.msg_namelen == sizeof from && ntohs(from.sin_port) == port_of(w), "recvmsg's address");
    struct sockaddr_in nobody = loopback(9);
    CHECK(sendto(w, "lost", 4, 0, (struct sockaddr *)&nobody, sizeof nobody) == 4, "a datagram to a closed port goes");
    printf("udp sendto, recvfrom, sendmsg, recvmsg with addresses: ok\n");
    close(r), close(w);
}

static void refused(int port)
{
    struct sockaddr_in host = loopback(port), away = { .sin_family = AF_INET, .sin_port = htons(80) };
    inet_pton(AF_INET, "10.0.2.2", &away.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    printf("host loopback server: %s\n", connect(fd, (struct sockaddr *)&host, sizeof host) == 0 ? "reached" : strerror(errno));
    close(fd);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    printf("10.0.2.2: %s\n", connect(fd, (struct sockaddr *)&away, sizeof away) == 0 ? "reached" : strerror(errno));
    close(fd);
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    printf("udp to 10.0.2.2: %s\n", sendto(fd, "x", 1, 0, (struct sockaddr *)&away, sizeof away) == 1 ? "sent" : strerror(errno));
    close(fd);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_un unix_name = { .sun_family = AF_UNIX, .sun_path = "/run/umview-no-such-socket" };
    printf("a Unix address on an Internet socket: %s\n",
           connect(fd, (struct sockaddr *)&unix_name, sizeof unix_name) == 0 ? "reached" : strerror(errno));
    close(fd);
    fd = socket(AF_PACKET, SOCK_RAW, 0);
    printf("packet socket: %s\n", fd >= 0 ? "made" : strerror(errno));
    fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    printf("netlink route socket: %s\n", fd >= 0 ? "made" : strerror(errno));
    fd = socket(40 /* AF_VSOCK */, SOCK_STREAM, 0);
    printf("vsock socket: %s\n", fd >= 0 ? "made" : strerror(errno));
    fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    printf("raw socket: %s\n", fd >= 0 ? "made" : strerror(errno));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 3 && strcmp(argv[1], "exec") == 0)
        return execed(atoi(argv[2]));
    if (argc == 3 && strcmp(argv[1], "refused") == 0) {
        refused(atoi(argv[2]));
        return 0;
    }
    nonblocking_connect_and_epoll();
    accept_interrupted();
    poll_socket_and_pipe();
    fork_and_exec_share(argv[0]);
    udp();
    return 0;
}
