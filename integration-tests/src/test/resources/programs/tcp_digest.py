"""tcp_digest.py serve PORT [SECONDS] | send HOST PORT BYTES [SECONDS]: the server takes one
connection (each wait at most SECONDS, 60 by default),
reads a length line then that many bytes, answers their sha256 and ends; the sender sends random
bytes and prints whether the answer is their digest, its throughput, and its own and the peer's
addresses. Used on stacks the tests start, never beyond them."""
import hashlib, os, socket, sys, time

if sys.argv[1] == "serve":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(sys.argv[2])))
    s.listen(1)
    wait = float(sys.argv[3]) if len(sys.argv) > 3 else 60
    s.settimeout(wait)
    print("listening", flush=True)
    c, _ = s.accept()
    c.settimeout(wait)
    head = b""
    while not head.endswith(b"\n"):
        head += c.recv(1)
    n, h, got = int(head), hashlib.sha256(), 0
    while got < n:
        d = c.recv(65536)
        if not d:
            break
        h.update(d)
        got += len(d)
    c.sendall(h.hexdigest().encode())
    c.close()
    print("served", got, flush=True)
else:
    data = os.urandom(int(sys.argv[4]))
    c = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=float(sys.argv[5]) if len(sys.argv) > 5 else 60)
    start = time.time()
    c.sendall(b"%d\n" % len(data) + data)
    answer = c.recv(100).decode()
    took = time.time() - start
    print("same" if answer == hashlib.sha256(data).hexdigest() else "different", c.getsockname()[0], c.getpeername(),
          "%.1f MB/s" % (len(data) / took / 1e6), file=sys.stdout)
