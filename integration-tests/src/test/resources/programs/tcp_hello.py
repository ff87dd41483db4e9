"""tcp_hello.py serve PORT COUNT | send ADDRESS PORT: the server, on the IPv6 wildcard (IPv4 reaches
it too), answers COUNT connections (each within 30 s) with "got" and what they sent; the sender
connects (IPv6 or IPv4 by the address's form, a scope id after %), sends the address it was given
and prints the answer and its own address, or the error's errno. Used on stacks the tests start,
never beyond them."""
import socket, sys

if sys.argv[1] == "serve":
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", int(sys.argv[2])))
    s.listen(4)
    s.settimeout(30)
    print("listening", flush=True)
    for _ in range(int(sys.argv[3])):
        c, _ = s.accept()
        c.sendall(b"got " + c.recv(100))
        c.close()
else:
    family = socket.AF_INET6 if ":" in sys.argv[2] else socket.AF_INET
    address = socket.getaddrinfo(sys.argv[2], int(sys.argv[3]), family, socket.SOCK_STREAM,
                                 flags=socket.AI_NUMERICHOST)[0][4]
    c = socket.socket(family)
    c.settimeout(20)
    try:
        c.connect(address)
    except OSError as e:
        print("errno", e.errno)
        sys.exit(0)
    c.sendall(sys.argv[2].encode())
    print(c.recv(100).decode(), "from", c.getsockname()[0].split("%")[0])
