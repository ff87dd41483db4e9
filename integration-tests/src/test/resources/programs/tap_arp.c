/* tap_arp SOURCE-IP TARGET-IP: opens /dev/net/tun, makes a TAP interface (IFF_TAP|IFF_NO_PI),
 * prints its name (TUNGETIFF) and whether SIOCGIFHWADDR gives a unicast MAC, then sends an ARP
 * request for TARGET-IP from SOURCE-IP (again each second, five times at most) and prints the
 * reply's sender. Used on switches the tests start, never beyond them. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct in_addr source, target;
    if (argc != 3 || inet_pton(AF_INET, argv[1], &source) != 1 || inet_pton(AF_INET, argv[2], &target) != 1) {
        fprintf(stderr, "usage: tap_arp SOURCE-IP TARGET-IP\n");
        return 2;
    }
    int fd = open("/dev/net/tun", O_RDWR);
    if (fd < 0) {
        perror("open /dev/net/tun");
        return 1;
    }
    struct ifreq ifr = { 0 };
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strcpy(ifr.ifr_name, "tap%d");
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        perror("TUNSETIFF");
        return 1;
    }
    struct ifreq got = { 0 }, hw = { 0 };
    if (ioctl(fd, TUNGETIFF, &got) < 0 || ioctl(fd, SIOCGIFHWADDR, &hw) < 0) {
        perror("TUNGETIFF/SIOCGIFHWADDR");
        return 1;
    }
    unsigned char *mac = (unsigned char *)hw.ifr_hwaddr.sa_data;
    printf("%s %s tap %s\n", ifr.ifr_name, got.ifr_name, (got.ifr_flags & IFF_TAP) && !(mac[0] & 1) ? "unicast" : "bad");
    unsigned char frame[42] = { 0 };
    memset(frame, 0xff, 6);
    memcpy(frame + 6, mac, 6);
    frame[12] = 0x08; frame[13] = 0x06;                      /* ARP */
    frame[15] = 1; frame[16] = 0x08; frame[18] = 6; frame[19] = 4; /* Ethernet, IPv4 */
    frame[21] = 1;                                            /* request */
    memcpy(frame + 22, mac, 6);
    memcpy(frame + 28, &source, 4);
    memcpy(frame + 38, &target, 4);
    for (int tries = 0; tries < 5; tries++) {
        if (write(fd, frame, sizeof frame) != sizeof frame) {
            perror("write");
            return 1;
        }
        struct pollfd ready = { .fd = fd, .events = POLLIN };
        while (poll(&ready, 1, 1000) > 0) {
            unsigned char in[2048];
            ssize_t n = read(fd, in, sizeof in);
            if (n >= 42 && in[12] == 0x08 && in[13] == 0x06 && in[21] == 2 && memcmp(in + 28, &target, 4) == 0
                    && memcmp(in + 32, mac, 6) == 0) {
                char text[INET_ADDRSTRLEN];
                inet_ntop(AF_INET, in + 28, text, sizeof text);
                printf("%s is at a unicast address: %s\n", text, in[22] & 1 ? "no" : "yes");
                return 0;
            }
        }
    }
    printf("no reply\n");
    return 1;
}
