"""Lists a directory with getdents64 and a buffer of one entry: every chunk holds a single name."""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
buf = ctypes.create_string_buffer(40)
names = []
while True:
    n = libc.syscall(217, fd, buf, 40)
    if n <= 0:
        break
    at = 0
    while at < n:
        reclen = int.from_bytes(buf.raw[at + 16:at + 18], "little")
        name = buf.raw[at + 19:at + reclen].split(b"\0")[0].decode()
        names.append(name)
        at += reclen
print(sorted(x for x in names if x not in (".", "..")))
