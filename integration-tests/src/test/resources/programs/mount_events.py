"""What poll and epoll tell of /proc/self/mounts around a mount and an unmount (as LTP's epoll_wait10)."""
import os
import select
import subprocess
import sys

target = sys.argv[1]
listing = os.open("/proc/self/mounts", os.O_RDONLY)
watch = select.epoll()
watch.register(listing, select.EPOLLPRI)


def told(timeout):
    return "changed" if any(events & select.EPOLLPRI for _, events in watch.poll(timeout)) else "quiet"


def read_again():
    os.lseek(listing, 0, os.SEEK_SET)
    text = b""
    while chunk := os.read(listing, 1024):
        text += chunk
    return text


readable = select.poll()
readable.register(listing, select.POLLIN)
print("opened", told(0), "readable" if readable.poll(0) else "not readable")
subprocess.run(["mount", "-t", "tmpfs", "none", target], check=True)
print("mounted", told(1))
print("listed" if f" {target} ".encode() in read_again() else "not listed", told(0))
subprocess.run(["umount", target], check=True)
print("unmounted", told(1))
print("listed" if f" {target} ".encode() in read_again() else "not listed", told(0))
