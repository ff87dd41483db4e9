"""tcp_hello.py serve|userve PORT COUNT | send|usend ADDRESS PORT: the server, on the IPv6
wildcard (IPv4 reaches it too), answers COUNT connections (userve: datagrams; each within 30 s)
with "got", what they sent, and (datagrams) who sent it; the sender connects or sends (IPv6 or
IPv4 by the address's form, a scope id after %), sends the address it was given and prints the
answer and its own address (datagrams: the answer's sender), or the error's errno. Used on stacks
the tests start, never beyond them."""
import socket, sys

if sys.argv[1] == "userve":
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", int(sys.argv[2])))
    s.settimeout(30)
    print("listening", flush=True)
    for _ in range(int(sys.argv[3])):
        data, sender = s.recvfrom(100)
        s.sendto(b"got " + data + b" from " + sender[0].encode(), sender)
elif sys.argv[1] == "usend":
    family = socket.AF_INET6 if ":" in sys.argv[2] else socket.AF_INET
    c = socket.socket(family, socket.SOCK_DGRAM)
    c.settimeout(20)
    c.sendto(sys.argv[2].encode(), (sys.argv[2], int(sys.argv[3])))
    data, sender = c.recvfrom(200)
    print(data.decode(), "answered by", sender[0])
elif sys.argv[1] == "serve":
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
