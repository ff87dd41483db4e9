"""socket_errno.py: makes a TCP socket of the process's default stack; prints ok, or the errno it failed with."""
import socket

try:
    socket.socket()
    print("ok")
except OSError as e:
    print(e.errno)
