"""Bad arguments around a writable shared map, and exec: the map must still be written back."""
import ctypes
import mmap
import os
import sys

libc = ctypes.CDLL(None, use_errno=True)


def result(value):
    return (value, os.strerror(ctypes.get_errno())) if value == -1 else (value,)


d = sys.argv[1]
path = d + "/hf"
with open(path, "wb") as f:
    f.write(b"x" * 8192)
fd = os.open(path, os.O_RDWR)
m = mmap.mmap(fd, 8192)
print("msync bad", result(libc.msync(ctypes.c_void_p(1), ctypes.c_size_t(4096), 4)))
print("munmap huge", result(libc.munmap(ctypes.c_void_p(0), ctypes.c_size_t(1 << 62))))
src = os.open("/etc/passwd", os.O_RDONLY)
libc.copy_file_range.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint]
print("bad off_in", result(libc.copy_file_range(src, ctypes.c_void_p(8), fd, None, 10, 0)))
print("bad off_out", result(libc.copy_file_range(src, None, fd, ctypes.c_void_p(8), 10, 0)))
print("write-only source", result(libc.copy_file_range(os.open(d + "/wo", os.O_WRONLY | os.O_CREAT, 0o600), None, fd, None, 10, 0)))
m[0:4] = b"EXEC"
try:
    os.execv("/nonexistent", ["x"])
except OSError as e:
    print("exec failed", e.errno)
m[4:8] = b"MORE"
sys.stdout.flush()
os.execv("/bin/cat", ["cat", path])  # prints what the exec wrote back
