"""tcp-pair.py serve PORT | stream HOST PORT BYTES | pingpong HOST PORT TRIPS

The server takes connections until told to quit (it ends when none comes for 600 s; 60 s at
most each): a stream is drained, a
pingpong echoed byte by byte, each as long as its first line says, then closed. `stream` prints MB/s, `pingpong` round trips per
second, both timed once the connection is up. For bench/lwip: between two views on one VDE
switch, and on the host's loopback for comparison."""
import socket, sys, time

def serve(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(4)
    s.settimeout(600)
    print("listening", flush=True)
    while True:
        c, _ = s.accept()
        c.settimeout(60)
        head = b""
        while not head.endswith(b"\n"):
            head += c.recv(1)
        mode, count = head[:1], int(head[1:])
        if mode == b"q":
            return
        got = 0
        while got < count:  # the count, not an end of data: LWIPv6 takes no half-close
            d = c.recv(65536 if mode == b"s" else 1)
            if not d:
                break
            got += len(d)
            if mode == b"p":
                c.sendall(d)
        c.close()

def client(mode, host, port, count):
    c = socket.create_connection((host, port), timeout=60)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    start = time.time()
    if mode == "stream":
        c.sendall(b"s%d\n" % count)
        block, left = b"x" * 65536, count
        while left > 0:
            c.sendall(block[:min(left, len(block))])
            left -= min(left, len(block))
        c.recv(1)  # the server's close: everything has arrived
        print("%.1f" % (count / (time.time() - start) / 1e6))
        c.close()
    elif mode == "pingpong":
        c.sendall(b"p%d\n" % count)
        for _ in range(count):
            c.sendall(b"x")
            if not c.recv(1):
                raise SystemExit("the server went away")
        print("%.0f" % (count / (time.time() - start)))
        c.close()
    else:
        c.sendall(b"q0\n")
        c.close()

if sys.argv[1] == "serve":
    serve(int(sys.argv[2]))
else:
    client(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
