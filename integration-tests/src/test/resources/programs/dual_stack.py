"""A dual-stack server (IPv6 on ::, IPv4 through it): clients over 127.0.0.1 and ::1 reach it, and it sees ::ffff:127.0.0.1 and ::1."""
import socket, threading, urllib.request
srv = socket.create_server(('::', 0), family=socket.AF_INET6, dualstack_ipv6=True)
srv.settimeout(10)
port = srv.getsockname()[1]
def serve():
    for _ in range(2):
        c, a = srv.accept()
        data = b''
        while b'\r\n\r\n' not in data:
            data += c.recv(1000)
        c.sendall(b'HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\nfrom %s' % (5 + len(a[0]), a[0].encode()))
        c.close()
t = threading.Thread(target=serve); t.start()
for url in ('http://127.0.0.1:%d/', 'http://[::1]:%d/'):
    print(urllib.request.urlopen(url % port, timeout=5).read().decode())
t.join()
