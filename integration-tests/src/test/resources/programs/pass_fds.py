#!/usr/bin/python3
"""Sends a host and then a virtual descriptor over a Unix socket (SCM_RIGHTS)."""
import errno, os, socket
a, b = socket.socketpair(socket.AF_UNIX)
real = os.open("/etc/hostname", os.O_RDONLY)
print("real", socket.send_fds(a, [b"x"], [real]))
virt = os.open("/unreal/etc/hostname", os.O_RDONLY)
try:
    socket.send_fds(a, [b"y"], [virt])
    print("virtual sent?!")
except OSError as e:
    print("virtual refused", errno.errorcode[e.errno])
