"""Writes a file through writable shared maps: msync, munmap, a child's own map, and exit."""
import mmap
import os
import sys

path = sys.argv[1]
with open(path, "wb") as f:
    f.write(b"a" * 10000)
with open(path, "r+b") as f:
    m = mmap.mmap(f.fileno(), 0)
m[0:5] = b"HELLO"
m.flush()
with open(path, "rb") as f:
    print("after msync", f.read(5))
m[9995:10000] = b"WORLD"
m.close()
with open(path, "rb") as f:
    print("after munmap", f.read()[9995:])
pid = os.fork()
if pid == 0:
    with open(path, "r+b") as f:
        child = mmap.mmap(f.fileno(), 0)
    child[100:103] = b"KID"
    child.flush()
    os._exit(0)
os.waitpid(pid, 0)
with open(path, "r+b") as f:
    m = mmap.mmap(f.fileno(), 0)
print("child wrote", m[100:103])
m[200:203] = b"END"
sys.stdout.flush()
os._exit(0)  # no munmap: exit_group writes it back
