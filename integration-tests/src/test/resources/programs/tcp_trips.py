"""tcp_trips.py serve PORT CONNECTIONS | trips HOST PORT COUNT: the server echoes, byte by byte,
CONNECTIONS connections in turn (each within 60 s), each as long as its first line says, and
closes each first; the client makes COUNT one-byte round trips and prints how many came back.
Used on stacks the tests start, never beyond them."""
import socket, sys

if sys.argv[1] == "serve":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(sys.argv[2])))
    s.listen(4)
    s.settimeout(60)
    print("listening", flush=True)
    for _ in range(int(sys.argv[3])):
        c, _ = s.accept()
        c.settimeout(60)
        head = b""
        while not head.endswith(b"\n"):
            head += c.recv(1)
        for _ in range(int(head)):
            d = c.recv(1)
            if not d:
                break
            c.sendall(d)
        c.close()
    print("served", sys.argv[3], flush=True)
else:
    c = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=30)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    count, back = int(sys.argv[4]), 0
    c.sendall(b"%d\n" % count)
    for i in range(count):
        c.sendall(bytes([i % 256]))
        if c.recv(1) == bytes([i % 256]):
            back += 1
    print(back, "round trips", flush=True)
    print("end" if c.recv(1) == b"" else "no end", flush=True)
