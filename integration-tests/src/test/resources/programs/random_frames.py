"""random_frames.py COUNT [SEED]: COUNT random Ethernet frames (broadcast ones, IPv4, ARP and IPv6 ethertypes among them)
in vde_plug's stream format (a 2-byte big-endian length, then the frame) on stdout, for a switch the test owns."""
import os, struct, sys, random
r = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
out = sys.stdout.buffer
for i in range(int(sys.argv[1])):
    n = r.randint(14, 1514)
    frame = bytearray(os.urandom(n))
    if i % 3 == 0:
        frame[0:6] = b"\xff" * 6          # broadcast: every port takes it
    if i % 5 == 0 and n > 14:
        frame[12:14] = r.choice([b"\x08\x00", b"\x08\x06", b"\x86\xdd"])  # IPv4, ARP, IPv6 ethertypes
    out.write(struct.pack(">H", n) + frame)
out.flush()
