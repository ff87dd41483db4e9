"""A FIFO and a Unix socket in the directory given, each used by two processes; then the
kernel's answers for what no process is behind. Prints what went through."""
import errno
import os
import signal
import socket
import stat
import sys

signal.alarm(30)  # a test never hangs
os.chdir(sys.argv[1])
os.mkfifo("pipe")
child = os.fork()
if child == 0:
    with open("pipe", "w") as writer:  # waits for the reader, in the kernel
        writer.write("through the fifo\n")
    os._exit(0)
with open("pipe") as reader:
    print(reader.read(), end="")
os.waitpid(child, 0)

server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind("srv.sock")
server.listen(1)
print("node:", "socket" if stat.S_ISSOCK(os.lstat("srv.sock").st_mode) else "not a socket")
os.mkdir("sub")
child = os.fork()
if child == 0:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(10)
    client.connect(os.path.abspath("sub/../srv.sock"))
    client.sendall(b"hello over unix\n")
    client.close()
    os._exit(0)
server.settimeout(10)
connection, _ = server.accept()
print(connection.makefile().read(), end="")
os.waitpid(child, 0)
os.rename("srv.sock", "moved.sock")
client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
client.connect("moved.sock")
print("connect after rename: OK")


def attempt(label, call):
    try:
        call()
        print(f"{label}: OK")
    except OSError as e:
        print(f"{label}: {errno.errorcode.get(e.errno, e.errno)}")


attempt("bind an existing name", lambda: socket.socket(socket.AF_UNIX).bind("moved.sock"))
os.mknod("lonely.sock", 0o600 | stat.S_IFSOCK)
attempt("connect to a node nobody bound", lambda: socket.socket(socket.AF_UNIX).connect("lonely.sock"))
attempt("connect to a file", lambda: socket.socket(socket.AF_UNIX).connect("sub"))
attempt("connect to nothing", lambda: socket.socket(socket.AF_UNIX).connect("nothing.sock"))
attempt("open a socket node", lambda: os.close(os.open("lonely.sock", os.O_RDONLY)))
attempt("open the fifo without a reader", lambda: os.close(os.open("pipe", os.O_WRONLY | os.O_NONBLOCK)))
