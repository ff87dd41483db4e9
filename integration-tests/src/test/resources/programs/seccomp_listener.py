#!/usr/bin/python3
"""Opens FILE with openat sent to a seccomp listener of this program's own, which lets it through.

usage: seccomp_listener.py FILE [CONTENT]   (CONTENT: append it to FILE instead of reading it)
A supervisor that traps openat with ptrace is outranked by a filter that notifies: a listener
that lets every call through would take the call past the supervisor.
"""
import ctypes, os, struct, sys, threading

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
OPENAT = 257
program = [(0x20, 0, 0, 0), (0x15, 0, 1, OPENAT), (0x06, 0, 0, 0x7fc00000), (0x06, 0, 0, 0x7fff0000)]
code = b''.join(struct.pack('HBBI', *insn) for insn in program)
filters = ctypes.create_string_buffer(code, len(code))
fprog = struct.pack('HxxxxxxQ', len(program), ctypes.addressof(filters))
fprog_buffer = ctypes.create_string_buffer(fprog, len(fprog))
libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
listener = libc.syscall(317, 1, 8, fprog_buffer)  # seccomp(SET_MODE_FILTER, NEW_LISTENER)
if listener < 0:
    print('no listener: ' + os.strerror(ctypes.get_errno()), file=sys.stderr)
    sys.exit(1)

def let_through():
    notif = ctypes.create_string_buffer(80)
    while libc.ioctl(listener, ctypes.c_ulong(0xc0502100), notif) == 0:
        resp = ctypes.create_string_buffer(struct.pack('QqiI', struct.unpack_from('Q', notif.raw)[0], 0, 0, 1), 24)
        libc.ioctl(listener, ctypes.c_ulong(0xc0182101), resp)

threading.Thread(target=let_through, daemon=True).start()
if len(sys.argv) > 2:
    with open(sys.argv[1], 'a') as f:
        f.write(sys.argv[2])
    print('done')
else:
    print(open(sys.argv[1]).read().strip())
# No interpreter shutdown: an openat made there would wait for a listener thread already stopped.
sys.stdout.flush()
os._exit(0)
