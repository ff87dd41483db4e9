"""A server on the host's loopback for network tests: prints its port, then answers each
connection with one HTTP response, and stops by itself after SECONDS without a connection."""
import socket
import sys

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 30
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(16)
server.settimeout(seconds)
print(server.getsockname()[1], flush=True)
try:
    for _ in range(1000):
        connection, _ = server.accept()
        connection.settimeout(5)
        try:
            connection.recv(4096)
            connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\nhello from the host\n")
        except OSError:
            pass
        connection.close()
except socket.timeout:
    pass
