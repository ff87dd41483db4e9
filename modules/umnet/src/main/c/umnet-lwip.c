/*
 * umnet-lwip: the process that owns one umnetlwipv6 stack (Debian's liblwipv6, the View-OS
 * TCP/IP stack) and its VDE ports, so that a fault in the C stack or a hostile frame from a
 * switch stays in this process and never reaches the supervisor.
 *
 * The programs' sockets of the stack are Unix stream sockets of the view (umnet's design:
 * data, readiness and blocking are the kernel's); this process carries each connection
 * between such a Unix socket and an LWIPv6 TCP socket, one thread per connection.
 *
 * Commands, one per line on stdin, each answered "ok" or "error ERRNO TEXT" on stdout:
 *   vde N SWITCH          interface N: a port of the VDE switch SWITCH (a directory or a vdeplug URL:
 *                         slirp:// is slirp's NAT to the host, libvdeplug-slirp)
 *   addr N ADDRESS PREFIX an IPv4 or IPv6 address on interface N (deladdr: taken away)
 *   up N                  interface vdN up (down: down)
 *   forward               packets between the interfaces are forwarded (a router)
 *   route add|del N DESTINATION BITS GATEWAY
 *                         a route to DESTINATION/BITS (IPv4 or IPv6) through vdN, by GATEWAY ("-":
 *                         on the link)
 *   listen PORT NAME [6]  TCP connections to PORT go to the Unix listener NAME (hex, abstract); 6: to
 *                         an IPv6 listener's (IPv6 and IPv4 both)
 *   hwaddr N              interface N's MAC address, answered "ok MAC"
 *   connect NAME ADDRESS PORT   (ADDRESS IPv4 or IPv6)
 *                         a Unix listener NAME (hex, abstract) whose first connection is carried
 *                         to ADDRESS:PORT over TCP; once LWIPv6's connection there is made, or has
 *                         failed, the line "connected NAME ERRNO" (0: made) comes between answers
 *   udp PORT NAME         UDP datagrams to PORT go to the program's Unix datagram socket NAME,
 *                         each from a Unix end named after its sender
 *   icmpto NAME ADDRESS   ICMP echo requests to the Unix datagram socket NAME go to ADDRESS, and
 *                         the replies to the socket that sent a request with their identifier
 *   udpto NAME ADDRESS PORT
 *                         datagrams to the Unix datagram socket NAME go to ADDRESS:PORT over UDP,
 *                         from the port their sender's name ends with
 * argv[1] is the hex prefix of the names this process binds its own Unix ends of TCP
 * connections to (the supervisor reads the peer's address back from them): PREFIX, IPv4
 * address, port, serial; argv[2] the 5-byte one of its datagram senders' ends, whose whole
 * name must fit a program's sockaddr_in (13 bytes): PREFIX, address, port, local port.
 *
 * liblwipv6 is opened at run time (dlopen), so umview builds without it installed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* lwipv6.h (liblwipv6-dev): the declarations this program uses. */
struct stack;
struct netif;
struct ip_addr { uint32_t addr[4]; };
#define NETIF_FLAG_AUTOCONF 0x800U
#define MAX_INTERFACES 16 /* vd0-7, then sl0-7 */
#define SOCKET_TABLE 256

static struct stack *(*lwip_add_stack)(unsigned long);
static struct netif *(*lwip_add_vdeif)(struct stack *, void *, int);
static int (*lwip_add_addr)(struct netif *, struct ip_addr *, struct ip_addr *);
static int (*lwip_del_addr)(struct netif *, struct ip_addr *, struct ip_addr *);
static int (*lwip_ifup_flags)(struct netif *, int);
static int (*lwip_ifdown)(struct netif *);
static int (*lwip_add_route)(struct stack *, struct ip_addr *, struct ip_addr *, struct ip_addr *, struct netif *, int);
static int (*lwip_del_route)(struct stack *, struct ip_addr *, struct ip_addr *, struct ip_addr *, struct netif *, int);
static int (*tcpip_callback)(struct stack *, void (*)(void *), void *, int);
static unsigned long (*lwip_stack_flags_get)(struct stack *);
static void (*lwip_stack_flags_set)(struct stack *, unsigned long);
#define LWIP_STACK_FLAG_FORWARDING 1
#define TCPIP_SYNC 1
static int (*lwip_msocket)(struct stack *, int, int, int);
static int (*lwip_bind)(int, const struct sockaddr *, socklen_t);
static int (*lwip_listen)(int, int);
static int (*lwip_accept)(int, struct sockaddr *, socklen_t *);
static int (*lwip_connect)(int, const struct sockaddr *, socklen_t);
static ssize_t (*lwip_write)(int, void *, int);
static ssize_t (*lwip_recvfrom)(int, void *, int, unsigned int, struct sockaddr *, socklen_t *);
static ssize_t (*lwip_sendto)(int, const void *, int, unsigned int, const struct sockaddr *, socklen_t);
static int (*lwip_close)(int);
static int (*lwip_setsockopt)(int, int, int, const void *, socklen_t);
static int (*lwip_ioctl)(int, long, void *);
static ssize_t (*lwip_recv)(int, void *, int, unsigned int);
static int (*lwip_event_subscribe)(void (*)(void *), void *, int, int);
static int *nofdfake;

static struct stack *stack;
static struct netif *interfaces[MAX_INTERFACES];
/* LWIPv6's names of them ("vd" and its count of VDE interfaces), which its ioctls take. */
static char lwip_names[MAX_INTERFACES][8];
static int vde_interfaces;
static unsigned char prefix[32];
static size_t prefix_length;
/* Datagram senders' names must fit a sockaddr_in (13 bytes): a 5-byte prefix, address, port, local port. */
static unsigned char datagram_prefix[5];
static unsigned serial;
static pthread_mutex_t serial_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * LWIPv6's netconn_write frees its connection's semaphore when the write is done, while the
 * stack's thread may be signalling it for an acknowledgement that just came (sent_tcp): that
 * wrote into freed memory and broke the heap ("unaligned tcache chunk"). This program's
 * sys_sem_free takes the library's place (its calls go through the PLT) and frees each
 * semaphore only after SEMAPHORE_QUARANTINE more have been, long after any signal in flight.
 * The stack's thread reads the connection's semaphore twice, to test it and to signal it, and
 * netconn_write sets it to NULL in between now and then (a crash at address 0x48 in
 * pthread_mutex_lock, in one 16 MB transfer of ten): sys_sem_signal takes the
 * library's place too, and a NULL semaphore, whose writer is gone, is signalled to nobody.
 */
#define SEMAPHORE_QUARANTINE 1024
static void (*lwip_sys_sem_free)(void *);
static void (*lwip_sys_sem_signal)(void *);
static void *quarantine[SEMAPHORE_QUARANTINE];
static unsigned quarantined;
static pthread_mutex_t quarantine_lock = PTHREAD_MUTEX_INITIALIZER;

void sys_sem_signal(void *semaphore)
{
    if (semaphore)
        lwip_sys_sem_signal(semaphore);
}

void sys_sem_free(void *semaphore)
{
    if (!semaphore)
        return;
    pthread_mutex_lock(&quarantine_lock);
    void *oldest = quarantine[quarantined % SEMAPHORE_QUARANTINE];
    quarantine[quarantined++ % SEMAPHORE_QUARANTINE] = semaphore;
    pthread_mutex_unlock(&quarantine_lock);
    if (oldest)
        lwip_sys_sem_free(oldest);
}

/*
 * TCP's maximum segment size, clamped in SYNs both ways as a Linux router's "TCPMSS
 * --clamp-mss-to-pmtu" would: LWIPv6 announces and uses 1488 bytes on a 1500-byte link, so
 * every full segment between two LWIPv6 stacks was an IP datagram in two fragments, and its
 * ip4_frag crashed retransmitting them through a lossy wire (wirefilter). A userfilter hook
 * (LWIPv6's netfilter) rewrites the MSS option of SYNs coming in and going out to what a
 * 1500-byte link carries unfragmented, with the checksum updated (RFC 1624).
 */
struct lwip_pbuf { struct lwip_pbuf *next; unsigned char *payload; uint16_t tot_len, len; };
struct uf_hook_handler { int hooknum; int (*hook)(struct stack *, int, struct lwip_pbuf **, struct netif *, struct netif *); short priority; };
#define UF_IP_PRE_ROUTING 0
#define UF_IP_POST_ROUTING 4
#define UF_ACCEPT 1
#define LWIP_STACK_FLAG_USERFILTER 0x2
#define LINK_MTU 1500
static int (*uf_register_hook)(struct stack *, struct uf_hook_handler *);

static void checksum_replace(unsigned char *checksum, uint16_t old, uint16_t new)
{
    uint32_t sum = (uint16_t)~(checksum[0] << 8 | checksum[1]) + (uint16_t)~old + new;
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    checksum[0] = (uint8_t)(~sum >> 8);
    checksum[1] = (uint8_t)~sum;
}

static int clamp_mss(struct stack *s, int hook, struct lwip_pbuf **packet, struct netif *in, struct netif *out)
{
    (void)s; (void)hook; (void)in; (void)out;
    unsigned char *ip = (*packet)->payload;
    size_t length = (*packet)->len, header, limit;
    if (length < 20)
        return UF_ACCEPT;
    if (ip[0] >> 4 == 4 && ip[9] == IPPROTO_TCP && (ip[6] & 0x3f) == 0 && ip[7] == 0) {
        header = (ip[0] & 15) * 4;
        limit = LINK_MTU - 40;
    } else if (ip[0] >> 4 == 6 && length >= 40 && ip[6] == IPPROTO_TCP) {
        header = 40;
        limit = LINK_MTU - 60;
    } else {
        return UF_ACCEPT;
    }
    unsigned char *tcp = ip + header;
    if (header + 20 > length || !(tcp[13] & 0x02))
        return UF_ACCEPT; /* not a SYN */
    size_t end = (tcp[12] >> 4) * 4;
    if (header + end > length)
        return UF_ACCEPT;
    for (size_t at = 20; at < end && tcp[at] != 0;) {
        if (tcp[at] == 1) {
            at++;
            continue;
        }
        if (at + 1 >= end || tcp[at + 1] < 2 || at + tcp[at + 1] > end)
            break;
        if (tcp[at] == 2 && tcp[at + 1] == 4) {
            uint16_t mss = tcp[at + 2] << 8 | tcp[at + 3];
            if (mss > limit) {
                tcp[at + 2] = limit >> 8;
                tcp[at + 3] = limit & 0xff;
                checksum_replace(tcp + 16, mss, limit);
            }
            break;
        }
        at += tcp[at + 1];
    }
    return UF_ACCEPT;
}

static struct uf_hook_handler clamp_in = { UF_IP_PRE_ROUTING, clamp_mss, 0 }, clamp_out = { UF_IP_POST_ROUTING, clamp_mss, 0 };

static int load(void)
{
    void *lib = dlopen("liblwipv6.so.2", RTLD_NOW | RTLD_GLOBAL);
    if (!lib)
        return -1;
#define SYM(name) if (!(*(void **)&name = dlsym(lib, #name))) return -1
    SYM(lwip_add_stack); SYM(lwip_add_vdeif); SYM(lwip_add_addr); SYM(lwip_del_addr); SYM(lwip_ifup_flags); SYM(lwip_ifdown);
    SYM(lwip_add_route); SYM(lwip_del_route); SYM(tcpip_callback); SYM(lwip_stack_flags_get); SYM(lwip_stack_flags_set);
    SYM(lwip_msocket); SYM(uf_register_hook);
    SYM(lwip_bind); SYM(lwip_listen); SYM(lwip_accept); SYM(lwip_connect); SYM(lwip_write); SYM(lwip_recvfrom); SYM(lwip_sendto);
    SYM(lwip_close); SYM(lwip_setsockopt); SYM(lwip_ioctl); SYM(lwip_recv); SYM(lwip_event_subscribe);
    if (!(nofdfake = dlsym(lib, "_nofdfake")) || !(*(void **)&lwip_sys_sem_free = dlsym(lib, "sys_sem_free"))
            || !(*(void **)&lwip_sys_sem_signal = dlsym(lib, "sys_sem_signal")))
        return -1;
#undef SYM
    return 0;
}

static size_t unhex(const char *text, unsigned char *out, size_t room)
{
    size_t n = 0;
    while (text[0] && text[1] && n < room) {
        unsigned byte;
        if (sscanf(text, "%2x", &byte) != 1)
            break;
        out[n++] = byte;
        text += 2;
    }
    return n;
}

static socklen_t abstract(struct sockaddr_un *address, const unsigned char *name, size_t length)
{
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    memcpy(address->sun_path + 1, name, length);
    return offsetof(struct sockaddr_un, sun_path) + 1 + length;
}

/*
 * One connection, carried both ways by one thread: LWIPv6's netconn is not safe for two threads
 * at once (a write's ERR_MEM was read as the end of the stream by the reader of the other
 * direction, and their replies share one mailbox). The thread never blocks inside LWIPv6: it
 * reads only what LWIPv6 says is there (lwip_event_subscribe, whose callback from the stack's
 * thread wakes an eventfd), writes at most TCP_SNDLOWAT while the send buffer has more room
 * than that, and waits in the kernel's poll on the program's end and the eventfd together.
 */
#define LWIP_SEND_CHUNK 16384 /* TCP_SNDLOWAT of Debian's build: a write this size never waits for room */

struct connection {
    int unix_end, tcp, wake;
    char up[LWIP_SEND_CHUNK];   /* from the program, not yet taken by LWIPv6 */
    size_t up_length;
    char down[65536];           /* from the network, not yet taken by the program */
    size_t down_start, down_length;
};

static void wake_connection(void *argument)
{
    struct connection *c = argument;
    uint64_t one = 1;
    ssize_t ignored = write(c->wake, &one, sizeof one); /* called with LWIPv6's select lock held: never blocks */
    (void)ignored;
}

/* What LWIPv6 has for the connection now, of POLLIN|POLLOUT in events; waits (with the program's
 * end, for what it asks in *unix_events) when it has nothing. */
static int wait_both(struct connection *c, int events, short *unix_events)
{
    int ready = events ? lwip_event_subscribe(wake_connection, c, c->tcp, events) : 0;
    struct pollfd fds[2] = { { .fd = c->unix_end, .events = *unix_events }, { .fd = c->wake, .events = POLLIN } };
    int r = poll(fds, 2, ready ? 0 : -1);
    if (events)
        ready |= lwip_event_subscribe(NULL, c, c->tcp, events);
    if (fds[1].revents & POLLIN) {
        uint64_t count;
        ssize_t ignored = read(c->wake, &count, sizeof count);
        (void)ignored;
    }
    *unix_events = r > 0 ? fds[0].revents : 0;
    return ready;
}

static void *relay(void *argument)
{
    struct connection *c = argument;
    int network_ended = 0, program_ended = 0;
    for (;;) {
        int events = 0;
        short unix_events = POLLRDHUP;
        if (!network_ended && c->down_length == 0)
            events |= POLLIN;
        if (c->up_length > 0)
            events |= POLLOUT;
        if (!program_ended && c->up_length == 0)
            unix_events |= POLLIN;
        if (c->down_length > 0)
            unix_events |= POLLOUT;
        int ready = wait_both(c, events, &unix_events);
        if (ready & POLLIN) {
            ssize_t n = lwip_recv(c->tcp, c->down, sizeof c->down, MSG_DONTWAIT);
            if (n == 0) {
                network_ended = 1;
            } else if (n > 0) {
                c->down_start = 0;
                c->down_length = n;
            } else if (errno != EWOULDBLOCK && errno != EAGAIN) {
                network_ended = 1;
            }
        }
        if ((ready & POLLOUT) && c->up_length > 0) {
            if (lwip_write(c->tcp, c->up, (int)c->up_length) < 0)
                break; /* reset or gone: the program reads the end, or gets EPIPE */
            c->up_length = 0;
        }
        if (c->down_length > 0) {
            ssize_t n = write(c->unix_end, c->down + c->down_start, c->down_length);
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                break; /* the program closed its end for good */
            if (n > 0) {
                c->down_start += n;
                c->down_length -= n;
            }
        }
        if (network_ended && c->down_length == 0 && network_ended++ == 1)
            shutdown(c->unix_end, SHUT_WR); /* the program reads the end; it may still write */
        if (!program_ended && c->up_length == 0 && (unix_events & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(c->unix_end, c->up, sizeof c->up);
            if (n > 0)
                c->up_length = n;
            else if (n == 0 || (errno != EAGAIN && errno != EINTR))
                program_ended = 1;
        }
        /* LWIPv6 has no half-close (its shutdown closes): the network side stays open until the
         * program has closed its end for good, or both have ended. */
        if (program_ended && c->up_length == 0 && (network_ended || (unix_events & POLLHUP)))
            break;
    }
    lwip_close(c->tcp);
    close(c->unix_end);
    close(c->wake);
    free(c);
    return NULL;
}

static void start_relay(int unix_end, int tcp)
{
    struct connection *c = calloc(1, sizeof *c);
    pthread_t thread;
    int one = 1;
    /* The program decides how its writes are grouped: they reach us as it made them. */
    lwip_setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (c) {
        c->unix_end = unix_end;
        c->tcp = tcp;
        c->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        fcntl(unix_end, F_SETFL, fcntl(unix_end, F_GETFL) | O_NONBLOCK);
        if (c->wake >= 0 && pthread_create(&thread, NULL, relay, c) == 0) {
            pthread_detach(thread);
            return;
        }
        if (c->wake >= 0)
            close(c->wake);
        free(c);
    }
    close(unix_end);
    lwip_close(tcp);
}

struct listener { int tcp; unsigned char name[108]; size_t length; };

/* TCP connections to a port, each carried to the program's Unix listener, from a Unix end named after the peer. */
static void *accept_loop(void *argument)
{
    struct listener *l = argument;
    for (;;) {
        /* LWIPv6 tells no peer address (accept and getpeername give zeros): the name says 0.0.0.0:0. */
        struct sockaddr_in peer = { 0 };
        int tcp = lwip_accept(l->tcp, NULL, NULL);
        if (tcp < 0)
            continue;
        unsigned char name[108];
        size_t n = prefix_length;
        memcpy(name, prefix, n);
        memcpy(name + n, &peer.sin_addr, 4);
        memcpy(name + n + 4, &peer.sin_port, 2);
        pthread_mutex_lock(&serial_lock);
        unsigned number = ++serial;
        pthread_mutex_unlock(&serial_lock);
        memcpy(name + n + 6, &number, 4);
        struct sockaddr_un own, program;
        int unix_end = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        socklen_t own_length = abstract(&own, name, n + 10), program_length = abstract(&program, l->name, l->length);
        if (unix_end < 0 || bind(unix_end, (struct sockaddr *)&own, own_length) < 0
                || connect(unix_end, (struct sockaddr *)&program, program_length) < 0) {
            if (unix_end >= 0)
                close(unix_end); /* nobody listens there (yet): the peer sees its connection closed */
            lwip_close(tcp);
            continue;
        }
        start_relay(unix_end, tcp);
    }
    return NULL;
}

/*
 * A local port as Linux picks them (32768-60999, at random): LWIPv6 counts its ports from the
 * same first one in every stack, so a view started again with the same address reused the
 * 4-tuple of its last run's connection, which its peer still held in TIME_WAIT.
 */
static int bind_ephemeral(int tcp, int family)
{
    for (int tries = 0; tries < 16; tries++) {
        unsigned short random;
        if (getrandom(&random, sizeof random, 0) != sizeof random)
            return -1;
        struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(32768 + random % 28232) };
        struct sockaddr_in6 local6 = { .sin6_family = AF_INET6, .sin6_port = local.sin_port };
        if (family == AF_INET6 ? lwip_bind(tcp, (struct sockaddr *)&local6, sizeof local6) == 0
                : lwip_bind(tcp, (struct sockaddr *)&local, sizeof local) == 0)
            return 0;
    }
    return -1;
}

struct outgoing { int unix_listener; struct sockaddr_in6 to; socklen_t length; char name[256]; };

/* The program's connection to a Unix listener of ours, carried to its TCP destination. */
static void *connect_one(void *argument)
{
    struct outgoing *o = argument;
    int family = o->to.sin6_family;
    int tcp = lwip_msocket(stack, family, SOCK_STREAM, 0);
    int ok = tcp >= 0 && bind_ephemeral(tcp, family) == 0 && lwip_connect(tcp, (struct sockaddr *)&o->to, o->length) == 0;
    int error = ok ? 0 : errno == ECONNRESET || errno == 0 ? ECONNREFUSED : errno; /* LWIPv6 says a RST to the SYN resets */
    printf("connected %s %d\n", o->name, error); /* one printf: a whole line between the answers */
    fflush(stdout);
    int unix_end = accept4(o->unix_listener, NULL, NULL, SOCK_CLOEXEC);
    close(o->unix_listener);
    if (ok && unix_end >= 0) {
        start_relay(unix_end, tcp);
    } else {
        if (unix_end >= 0)
            close(unix_end); /* refused or unreachable: the program reads the end of its connection */
        if (tcp >= 0)
            lwip_close(tcp);
    }
    free(o);
    return NULL;
}

/* UDP: one LWIPv6 socket per port of the programs, and the program socket its datagrams go to. */
struct udp_port { int lwip, port; unsigned char program[108]; size_t length; };
static struct udp_port *udp_ports[65536];
/* The Unix ends datagrams from the network come from, one per sender and port. */
struct udp_sender { struct in6_addr address; uint16_t port, local; int fd; struct udp_sender *next; };
static struct udp_sender *udp_senders;
static pthread_mutex_t udp_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * The Unix end named after the sender address:port (network order), for datagrams to local port:
 * PREFIX, the address (4 bytes for IPv4, 16 for IPv6), the port and the local port, which fits a
 * program's sockaddr_in (13 bytes) or sockaddr_in6 (25).
 */
static int udp_sender_end(const struct in6_addr *address, uint16_t port, uint16_t local)
{
    pthread_mutex_lock(&udp_lock);
    for (struct udp_sender *s = udp_senders; s; s = s->next)
        if (memcmp(&s->address, address, sizeof *address) == 0 && s->port == port && s->local == local) {
            pthread_mutex_unlock(&udp_lock);
            return s->fd;
        }
    unsigned char name[25];
    int ipv4 = IN6_IS_ADDR_V4MAPPED(address);
    size_t ip = ipv4 ? 4 : 16;
    memcpy(name, datagram_prefix, 5);
    memcpy(name + 5, ipv4 ? (const unsigned char *)address + 12 : (const unsigned char *)address, ip);
    memcpy(name + 5 + ip, &port, 2);
    memcpy(name + 7 + ip, &local, 2);
    struct sockaddr_un own;
    socklen_t own_length = abstract(&own, name, 9 + ip);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct udp_sender *s = malloc(sizeof *s);
    if (fd < 0 || !s || bind(fd, (struct sockaddr *)&own, own_length) < 0) {
        if (fd >= 0)
            close(fd);
        free(s);
        pthread_mutex_unlock(&udp_lock);
        return -1;
    }
    *s = (struct udp_sender){ *address, port, local, fd, udp_senders };
    udp_senders = s;
    pthread_mutex_unlock(&udp_lock);
    return fd;
}

/* Datagrams to a port, from the network to the program's socket. */
static void *udp_receive(void *argument)
{
    struct udp_port *u = argument;
    static __thread char buffer[65536];
    uint16_t local = htons(u->port);
    for (;;) {
        struct sockaddr_in6 from = { 0 };
        socklen_t length = sizeof from;
        ssize_t n = lwip_recvfrom(u->lwip, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &length);
        if (n < 0)
            continue;
        int end = udp_sender_end(&from.sin6_addr, from.sin6_port, local);
        struct sockaddr_un program;
        socklen_t program_length = abstract(&program, u->program, u->length);
        if (end >= 0)
            sendto(end, buffer, n, MSG_DONTWAIT, (struct sockaddr *)&program, program_length); /* a full socket drops it */
    }
    return NULL;
}

/* The LWIPv6 socket of a port of the programs (made and bound at its first use), or NULL. */
static struct udp_port *udp_port(int port, const unsigned char *program, size_t length)
{
    pthread_mutex_lock(&udp_lock);
    struct udp_port *u = udp_ports[port];
    if (!u) {
        u = calloc(1, sizeof *u);
        if (u)
            u->port = port;
        /* IPv6, which LWIPv6's sockets are inside: IPv4 datagrams come and go as ::ffff:a.b.c.d. */
        struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
        pthread_t thread;
        if (u && (u->lwip = lwip_msocket(stack, AF_INET6, SOCK_DGRAM, 0)) >= 0
                && lwip_bind(u->lwip, (struct sockaddr *)&any, sizeof any) == 0) {
            udp_ports[port] = u;
            if (pthread_create(&thread, NULL, udp_receive, u) == 0)
                pthread_detach(thread);
        } else {
            free(u);
            u = NULL;
        }
    }
    if (u && program && length) {
        memcpy(u->program, program, length);
        u->length = length;
    }
    pthread_mutex_unlock(&udp_lock);
    return u;
}

struct udp_destination { int fd; struct sockaddr_in6 to; };

/* Datagrams of the programs to one destination, from the port their sender's name ends with. */
static void *udp_send(void *argument)
{
    struct udp_destination *d = argument;
    static __thread char buffer[65536];
    for (;;) {
        struct sockaddr_un from;
        socklen_t length = sizeof from;
        ssize_t n = recvfrom(d->fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &length);
        if (n < 0)
            continue;
        size_t name = length > offsetof(struct sockaddr_un, sun_path) + 1 ? length - offsetof(struct sockaddr_un, sun_path) - 1 : 0;
        if (name < 2)
            continue; /* an unnamed sender: not a program socket of this stack */
        const unsigned char *bytes = (const unsigned char *)from.sun_path + 1;
        int port = bytes[name - 2] << 8 | bytes[name - 1];
        struct udp_port *u = udp_port(port, bytes, name);
        if (u)
            lwip_sendto(u->lwip, buffer, (int)n, 0, (struct sockaddr *)&d->to, sizeof d->to);
    }
    return NULL;
}

/*
 * ICMP for the programs' ping sockets: one LWIPv6 raw socket a family for the stack; each echo
 * request a program sends (to a Unix datagram socket of ours per destination) goes out with its
 * checksum made, as Linux's ping sockets do (ICMPv6's by LWIPv6, which knows the source address
 * its pseudo-header needs), and each echo reply goes to the program socket that last sent a
 * request with its identifier, from a Unix end named after its sender.
 */
#define ICMP_OWNERS 64
struct icmp_owner { uint16_t id; unsigned char name[108]; size_t length; };
static struct icmp_owner icmp_owners[ICMP_OWNERS];
static unsigned icmp_next;
static int icmp_raw[2] = { -1, -1 }; /* IPv4's, IPv6's */
static const unsigned char echo_request[2] = { 8, 128 }, echo_reply[2] = { 0, 129 };

static uint16_t internet_checksum(const unsigned char *data, size_t length)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < length; i += 2)
        sum += data[i] << 8 | data[i + 1];
    if (length & 1)
        sum += data[length - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void *icmp_receive(void *argument)
{
    int ipv6 = argument != NULL;
    static __thread unsigned char buffer[65536];
    for (;;) {
        struct sockaddr_in6 from = { 0 }; /* a sockaddr_in for IPv4's socket */
        socklen_t length = sizeof from;
        ssize_t n = lwip_recvfrom(icmp_raw[ipv6], buffer, sizeof buffer, 0, (struct sockaddr *)&from, &length);
        if (n < 8)
            continue;
        /* LWIPv6 hands IPv4's header too, not IPv6's */
        size_t header = !ipv6 && (buffer[0] >> 4) == 4 ? (size_t)(buffer[0] & 15) * 4 : 0;
        if ((size_t)n < header + 8 || buffer[header] != echo_reply[ipv6])
            continue;
        uint16_t id = buffer[header + 4] << 8 | buffer[header + 5];
        struct sockaddr_un program;
        socklen_t program_length = 0;
        pthread_mutex_lock(&udp_lock);
        for (int i = 0; i < ICMP_OWNERS; i++)
            if (icmp_owners[i].length && icmp_owners[i].id == id)
                program_length = abstract(&program, icmp_owners[i].name, icmp_owners[i].length);
        pthread_mutex_unlock(&udp_lock);
        struct in6_addr sender = from.sin6_addr;
        if (!ipv6) {
            sender = (struct in6_addr){ .s6_addr = { [10] = 0xff, [11] = 0xff } };
            memcpy(sender.s6_addr + 12, &((struct sockaddr_in *)&from)->sin_addr, 4);
        }
        int end = program_length ? udp_sender_end(&sender, 0, htons(id)) : -1;
        if (end >= 0)
            sendto(end, buffer + header, n - header, MSG_DONTWAIT, (struct sockaddr *)&program, program_length);
    }
    return NULL;
}

/* Echo requests of the programs to one destination. */
static void *icmp_send(void *argument)
{
    struct udp_destination *d = argument;
    int ipv6 = !IN6_IS_ADDR_V4MAPPED(&d->to.sin6_addr);
    static __thread unsigned char buffer[65536];
    for (;;) {
        struct sockaddr_un from;
        socklen_t length = sizeof from;
        ssize_t n = recvfrom(d->fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &length);
        size_t name = length > offsetof(struct sockaddr_un, sun_path) + 1 ? length - offsetof(struct sockaddr_un, sun_path) - 1 : 0;
        if (n < 8 || buffer[0] != echo_request[ipv6] || name == 0 || name > sizeof icmp_owners[0].name)
            continue;
        uint16_t id = buffer[4] << 8 | buffer[5];
        pthread_mutex_lock(&udp_lock);
        int slot = -1;
        for (int i = 0; i < ICMP_OWNERS && slot < 0; i++)
            if (icmp_owners[i].length && icmp_owners[i].id == id)
                slot = i;
        if (slot < 0)
            slot = icmp_next++ % ICMP_OWNERS;
        icmp_owners[slot].id = id;
        memcpy(icmp_owners[slot].name, from.sun_path + 1, name);
        icmp_owners[slot].length = name;
        pthread_mutex_unlock(&udp_lock);
        buffer[2] = buffer[3] = 0;
        if (ipv6) {
            lwip_sendto(icmp_raw[1], buffer, (int)n, 0, (struct sockaddr *)&d->to, sizeof d->to);
            continue;
        }
        uint16_t sum = internet_checksum(buffer, n);
        buffer[2] = sum >> 8;
        buffer[3] = sum & 0xff;
        struct sockaddr_in to = { .sin_family = AF_INET }; /* the raw socket is IPv4's: d->to is ::ffff:a.b.c.d */
        memcpy(&to.sin_addr, d->to.sin6_addr.s6_addr + 12, 4);
        lwip_sendto(icmp_raw[0], buffer, (int)n, 0, (struct sockaddr *)&to, sizeof to);
    }
    return NULL;
}

/* The stack's raw ICMP socket of a family, made with its receiving thread at first use; -1 if none. */
static int icmp_socket(int ipv6)
{
    if (icmp_raw[ipv6] >= 0)
        return 0;
    int raw = ipv6 ? lwip_msocket(stack, AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) : lwip_msocket(stack, AF_INET, SOCK_RAW, IPPROTO_ICMP);
    int checksum_offset = 2;
    pthread_t thread;
    /* LWIPv6 takes IPV6_CHECKSUM at level IPPROTO_RAW */
    if (raw < 0)
        return -1;
    if (ipv6 && lwip_setsockopt(raw, IPPROTO_RAW, IPV6_CHECKSUM, &checksum_offset, sizeof checksum_offset) < 0) {
        lwip_close(raw);
        return -1;
    }
    icmp_raw[ipv6] = raw;
    if (pthread_create(&thread, NULL, icmp_receive, ipv6 ? &icmp_raw[1] : NULL) != 0)
        return -1;
    pthread_detach(thread);
    return 0;
}

static int parse_ipv4(const char *text, struct in_addr *out)
{
    return inet_pton(AF_INET, text, out) == 1 ? 0 : -1;
}

static void ipv4_mapped(struct ip_addr *ip, uint32_t network_order)
{
    ip->addr[0] = 0;
    ip->addr[1] = 0;
    ip->addr[2] = htonl(0xffff);
    ip->addr[3] = network_order;
}

/* A route change, made in the stack's own thread: its route list has no lock. */
struct route_change { int add, result; struct ip_addr destination, mask, gateway; struct netif *netif; };

static void change_route(void *argument)
{
    struct route_change *r = argument;
    r->result = (r->add ? lwip_add_route : lwip_del_route)(stack, &r->destination, &r->mask, &r->gateway, r->netif, 0);
}

static void ipv4_mask(struct ip_addr *mask, int bits)
{
    ipv4_mapped(mask, htonl(bits == 0 ? 0 : 0xffffffffU << (32 - bits)));
    mask->addr[0] = mask->addr[1] = mask->addr[2] = 0xffffffff;
}

/* An IPv4 (mapped, as LWIPv6 keeps them) or IPv6 address and the mask of BITS of it; -1 if neither. */
static int parse_ip(const char *text, int bits, struct ip_addr *ip, struct ip_addr *mask)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (parse_ipv4(text, &v4) == 0) {
        if (bits < 0 || bits > 32)
            return -1;
        ipv4_mapped(ip, v4.s_addr);
        ipv4_mask(mask, bits);
        return 0;
    }
    if (inet_pton(AF_INET6, text, &v6) != 1 || bits < 0 || bits > 128)
        return -1;
    memcpy(ip->addr, &v6, 16);
    for (int word = 0; word < 4; word++) {
        int take = bits - 32 * word;
        mask->addr[word] = htonl(take >= 32 ? 0xffffffffU : take <= 0 ? 0 : 0xffffffffU << (32 - take));
    }
    return 0;
}

static void reply(int error, const char *text)
{
    if (error)
        printf("error %d %s\n", error, text);
    else
        printf("ok\n");
    fflush(stdout);
}

/* A Unix datagram socket of ours named NAME (hex) whose datagrams SENDER carries to ADDRESS:PORT. */
static void destination(const char *hex, const char *text, int port, void *(*sender)(void *))
{
    struct udp_destination *d = calloc(1, sizeof *d);
    unsigned char name[108];
    size_t length = unhex(hex, name, sizeof name - 1);
    struct sockaddr_un address;
    socklen_t address_length = abstract(&address, name, length);
    pthread_t thread;
    if (!d)
        return reply(ENOMEM, "no memory");
    struct in_addr v4;
    d->to.sin6_family = AF_INET6;
    d->to.sin6_port = htons(port);
    if (parse_ipv4(text, &v4) == 0) {
        d->to.sin6_addr.s6_addr[10] = d->to.sin6_addr.s6_addr[11] = 0xff;
        memcpy(d->to.sin6_addr.s6_addr + 12, &v4, 4);
    } else if (inet_pton(AF_INET6, text, &d->to.sin6_addr) != 1) {
        return free(d), reply(EINVAL, "bad address");
    }
    d->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (d->fd < 0 || bind(d->fd, (struct sockaddr *)&address, address_length) < 0) {
        if (d->fd >= 0)
            close(d->fd);
        free(d);
        return reply(EADDRINUSE, "cannot bind the name");
    }
    if (pthread_create(&thread, NULL, sender, d) != 0)
        return reply(EAGAIN, "no thread");
    pthread_detach(thread);
    reply(0, "");
}

static void command(char *line)
{
    char word[16], a[256], b[256], c[64];
    int n = sscanf(line, "%15s %255s %255s %63s", word, a, b, c);
    if (n >= 3 && strcmp(word, "vde") == 0) {
        int number = atoi(a);
        if (number < 0 || number >= MAX_INTERFACES || interfaces[number])
            return reply(EINVAL, "no such interface number, or in use");
        interfaces[number] = lwip_add_vdeif(stack, b, NETIF_FLAG_AUTOCONF);
        if (interfaces[number])
            snprintf(lwip_names[number], sizeof lwip_names[number], "vd%d", vde_interfaces++);
        return reply(interfaces[number] ? 0 : ENETUNREACH, strncmp(b, "slirp://", 8) == 0
                ? "cannot start slirp (is libvdeplug-slirp installed?)" : "cannot plug into the VDE switch (is libvdeplug.so installed?)");
    }
    if (n >= 2 && strcmp(word, "hwaddr") == 0) {
        int number = atoi(a);
        struct ifreq request = { 0 };
        static int control = -1;
        if (number < 0 || number >= MAX_INTERFACES || !interfaces[number])
            return reply(EINVAL, "no such interface");
        if (control < 0)
            control = lwip_msocket(stack, AF_INET, SOCK_DGRAM, 0);
        strncpy(request.ifr_name, lwip_names[number], IFNAMSIZ - 1);
        if (control < 0 || lwip_ioctl(control, SIOCGIFHWADDR, &request) < 0)
            return reply(ENODEV, "no hardware address");
        unsigned char *mac = (unsigned char *)request.ifr_hwaddr.sa_data;
        printf("ok %02x:%02x:%02x:%02x:%02x:%02x\n", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
        fflush(stdout);
        return;
    }
    if (n == 4 && (strcmp(word, "addr") == 0 || strcmp(word, "deladdr") == 0)) {
        int number = atoi(a), bits = atoi(c);
        struct ip_addr ip, mask;
        if (number < 0 || number >= MAX_INTERFACES || !interfaces[number] || parse_ip(b, bits, &ip, &mask) < 0)
            return reply(EINVAL, "bad interface or address");
        if (word[0] == 'd')
            return reply(lwip_del_addr(interfaces[number], &ip, &mask) < 0 ? EADDRNOTAVAIL : 0, "lwip_del_addr failed");
        return reply(lwip_add_addr(interfaces[number], &ip, &mask) < 0 ? EINVAL : 0, "lwip_add_addr failed");
    }
    if (strcmp(word, "forward") == 0) {
        lwip_stack_flags_set(stack, lwip_stack_flags_get(stack) | LWIP_STACK_FLAG_FORWARDING);
        return reply(0, "");
    }
    if (strcmp(word, "route") == 0) {
        char how[8], destination[64], gateway[64];
        int number, bits;
        struct route_change r = { 0 };
        struct ip_addr all;
        if (sscanf(line, "%*s %7s %d %63s %d %63s", how, &number, destination, &bits, gateway) != 5
                || number < 0 || number >= MAX_INTERFACES || !interfaces[number]
                || parse_ip(destination, bits, &r.destination, &r.mask) < 0
                || (strcmp(gateway, "-") != 0 && (parse_ip(gateway, 0, &r.gateway, &all) < 0
                        || IN6_IS_ADDR_V4MAPPED((struct in6_addr *)&r.gateway) != IN6_IS_ADDR_V4MAPPED((struct in6_addr *)&r.destination))))
            return reply(EINVAL, "bad route");
        r.add = strcmp(how, "add") == 0;
        r.netif = interfaces[number];
        if (tcpip_callback(stack, change_route, &r, TCPIP_SYNC) != 0)
            return reply(ENOMEM, "the stack is busy");
        return reply(r.result == 0 ? 0 : r.add ? EEXIST : ESRCH, r.add ? "the route is there already" : "no such route");
    }
    if (n >= 2 && (strcmp(word, "up") == 0 || strcmp(word, "down") == 0)) {
        int number = atoi(a);
        if (number < 0 || number >= MAX_INTERFACES || !interfaces[number])
            return reply(EINVAL, "no such interface");
        if (word[0] == 'd')
            return reply(lwip_ifdown(interfaces[number]) < 0 ? EINVAL : 0, "lwip_ifdown failed");
        return reply(lwip_ifup_flags(interfaces[number], 0) < 0 ? EINVAL : 0, "lwip_ifup failed");
    }
    if (n >= 3 && strcmp(word, "listen") == 0) {
        struct listener *l = calloc(1, sizeof *l);
        struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(atoi(a)) };
        struct sockaddr_in6 any6 = { .sin6_family = AF_INET6, .sin6_port = any.sin_port };
        int one = 1, six = n == 4 && strcmp(c, "6") == 0;
        if (!l)
            return reply(ENOMEM, "no memory");
        l->length = unhex(b, l->name, sizeof l->name - 1);
        l->tcp = lwip_msocket(stack, six ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
        if (l->tcp < 0)
            return free(l), reply(ENOBUFS, "no socket");
        lwip_setsockopt(l->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if ((six ? lwip_bind(l->tcp, (struct sockaddr *)&any6, sizeof any6) : lwip_bind(l->tcp, (struct sockaddr *)&any, sizeof any)) < 0
                || lwip_listen(l->tcp, 64) < 0) {
            lwip_close(l->tcp);
            free(l);
            return reply(EADDRINUSE, "the port is taken");
        }
        pthread_t thread;
        if (pthread_create(&thread, NULL, accept_loop, l) != 0)
            return reply(EAGAIN, "no thread");
        pthread_detach(thread);
        return reply(0, "");
    }
    if (n == 4 && strcmp(word, "connect") == 0) {
        struct outgoing *o = calloc(1, sizeof *o);
        unsigned char name[108];
        size_t length = unhex(a, name, sizeof name - 1);
        if (!o)
            return reply(ENOMEM, "no memory");
        snprintf(o->name, sizeof o->name, "%s", a);
        struct sockaddr_in *v4 = (struct sockaddr_in *)&o->to;
        if (parse_ipv4(b, &v4->sin_addr) == 0) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons(atoi(c));
            o->length = sizeof *v4;
        } else if (inet_pton(AF_INET6, b, &o->to.sin6_addr) == 1) {
            o->to.sin6_family = AF_INET6;
            o->to.sin6_port = htons(atoi(c));
            o->length = sizeof o->to;
        } else {
            return free(o), reply(EINVAL, "bad address");
        }
        struct sockaddr_un address;
        socklen_t address_length = abstract(&address, name, length);
        o->unix_listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (o->unix_listener < 0 || bind(o->unix_listener, (struct sockaddr *)&address, address_length) < 0
                || listen(o->unix_listener, 1) < 0) {
            if (o->unix_listener >= 0)
                close(o->unix_listener);
            free(o);
            return reply(EADDRINUSE, "cannot listen on the name");
        }
        pthread_t thread;
        if (pthread_create(&thread, NULL, connect_one, o) != 0)
            return reply(EAGAIN, "no thread");
        pthread_detach(thread);
        return reply(0, "");
    }
    if (n >= 3 && strcmp(word, "udp") == 0) {
        unsigned char name[108];
        size_t length = unhex(b, name, sizeof name - 1);
        int port = atoi(a);
        if (port <= 0 || port > 65535 || length == 0)
            return reply(EINVAL, "bad port or name");
        return reply(udp_port(port, name, length) ? 0 : EADDRINUSE, "the port is taken");
    }
    if (n == 3 && strcmp(word, "icmpto") == 0) {
        struct in_addr v4;
        if (icmp_socket(parse_ipv4(b, &v4) != 0) < 0)
            return reply(EPERM, "no raw ICMP socket");
        return destination(a, b, 0, icmp_send);
    }
    if (n == 4 && strcmp(word, "udpto") == 0)
        return destination(a, b, atoi(c), udp_send);
    reply(EINVAL, "unknown command");
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc != 3 || (prefix_length = unhex(argv[1], prefix, sizeof prefix)) == 0
            || unhex(argv[2], datagram_prefix, sizeof datagram_prefix) != sizeof datagram_prefix) {
        fprintf(stderr, "usage: umnet-lwip NAME-PREFIX-HEX DATAGRAM-PREFIX-HEX (started by umview's umnet module)\n");
        return 2;
    }
    if (load() < 0) {
        fprintf(stderr, "umnet-lwip: cannot load liblwipv6.so.2 (Debian package liblwipv6-2): %s\n", dlerror());
        printf("error %d liblwipv6-2 is not installed\n", ENOSYS);
        return 1;
    }
    /* LWIPv6's socket layer makes its locks at their first use and keeps kernel descriptors as
     * socket numbers, mapped after they are made and unmapped after they are closed: threads
     * racing there lost sockets and corrupted the heap. Its locks are made here, before any
     * thread; socket numbers are its own table's indexes (not descriptors); and the table is
     * grown once now (it is reallocated under readers otherwise). */
    *nofdfake = 1;
    lwip_event_subscribe(NULL, NULL, -1, 0);
    lwip_close(-1);
    stack = lwip_add_stack(LWIP_STACK_FLAG_USERFILTER);
    if (!stack || uf_register_hook(stack, &clamp_in) < 0 || uf_register_hook(stack, &clamp_out) < 0) {
        printf("error %d no stack\n", ENOMEM);
        return 1;
    }
    int made[SOCKET_TABLE], count = 0;
    while (count < SOCKET_TABLE && (made[count] = lwip_msocket(stack, AF_INET, SOCK_DGRAM, 0)) >= 0)
        count++;
    while (count > 0)
        lwip_close(made[--count]);
    printf("ok\n");
    fflush(stdout);
    char line[1024];
    while (fgets(line, sizeof line, stdin))
        command(line);
    return 0; /* the supervisor closed our stdin: the stack goes with this process */
}
