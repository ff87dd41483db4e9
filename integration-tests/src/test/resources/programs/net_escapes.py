"""Ways around a view's network that do not go through socket calls: take a socket from a
process outside the view (pidfd_getfd), and io_uring (whose requests may make and connect
sockets). Prints one line each: the errno name, or what was reached."""
import ctypes
import errno
import os
import sys

libc = ctypes.CDLL(None, use_errno=True)
pid, fd = int(sys.argv[1]), int(sys.argv[2])


def result(value):
    return errno.errorcode[ctypes.get_errno()] if value < 0 else "reached"


try:
    pidfd = os.pidfd_open(pid)
    stolen = libc.syscall(438, pidfd, fd, 0)  # pidfd_getfd
    print("pidfd_getfd of an outside socket:", result(stolen))
    if stolen >= 0:
        os.write(stolen, b"GET / HTTP/1.0\r\n\r\n")
except OSError as e:
    print("pidfd_getfd of an outside socket:", errno.errorcode[e.errno])
params = ctypes.create_string_buffer(120)
print("io_uring_setup:", result(libc.syscall(425, 4, params)))  # io_uring_setup
