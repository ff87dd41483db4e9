# What the kernel answers first about a namespace call, before any permission: one line a case.
import ctypes, errno, os

libc = ctypes.CDLL(None, use_errno=True)


def call(name, *args):
    result = getattr(libc, name)(*args)
    return "ok" if result >= 0 else errno.errorcode[ctypes.get_errno()]


print("clone(CLONE_FS|CLONE_NEWNS)", call("syscall", 56, 0x20000 | 0x200 | 17, 0, 0, 0, 0))
print("setns(bad fd)", call("setns", 999, 0))
print("setns(regular file)", call("setns", os.open("/etc/hostname", os.O_RDONLY), 0))
mnt = os.open("/proc/self/ns/mnt", os.O_RDONLY)
print("setns(mnt, CLONE_NEWUTS)", call("setns", mnt, 0x04000000))
print("setns(mnt, 0)", call("setns", mnt, 0))
