"""An asyncio echo server and its clients, over IPv4 and IPv6 on one port, and UDP: all on
the loopback of the stack the program runs on."""
import asyncio
import socket
import sys

PORT = int(sys.argv[1])


async def handle(reader, writer):
    line = await reader.readline()
    writer.write(b"echo " + line)
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(handle, ["127.0.0.1", "::1"], PORT)
    print("listening on", sorted(s.getsockname()[:2] for s in server.sockets))
    for host in ("127.0.0.1", "::1"):
        reader, writer = await asyncio.open_connection(host, PORT)
        writer.write(b"hi over " + host.encode() + b"\n")
        await writer.drain()
        reply = await asyncio.wait_for(reader.readline(), 10)
        print(reply.decode().strip(), "peer", writer.get_extra_info("peername")[:2])
        writer.close()
    server.close()
    await server.wait_closed()


asyncio.run(main())
receiver = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
receiver.bind(("::1", 0))
sender = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
sender.sendto(b"datagram", receiver.getsockname())
data, source = receiver.recvfrom(100)
print(data.decode(), "from", source[0], source[1] == sender.getsockname()[1])
