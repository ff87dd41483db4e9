"""udp_echo.py serve PORT | send HOST PORT: the server answers three datagrams (within 30 s) with
them in capitals, to whoever sent each, and prints the sender; the sender prints each answer, who
answered, and its own address. For stacks the tests start, nothing beyond them."""
import socket, sys

if sys.argv[1] == "serve":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(sys.argv[2])))
    s.settimeout(30)
    print("listening", flush=True)
    for _ in range(3):
        data, peer = s.recvfrom(2000)
        s.sendto(data.upper(), peer)
        print("from", peer[0], flush=True)
else:
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.settimeout(10)
    for word in (b"one", b"two", b"three"):
        c.sendto(word, (sys.argv[2], int(sys.argv[3])))
        data, peer = c.recvfrom(2000)
        print(data.decode(), peer[0], peer[1], c.getsockname()[0])
