#!/usr/bin/python3
"""Inside a view: mount with mount(2), then replace this process with a command.

usage: mount_then.py TYPE SOURCE TARGET [OPTIONS] -- COMMAND [ARG...]
Exits 99 with the error if the mount fails (util-linux mount(8) refuses an ordinary user).
"""
import ctypes, os, signal, sys

sep = sys.argv.index('--')
fstype, source, target = sys.argv[1:4]
options = sys.argv[4] if sep > 4 else None
libc = ctypes.CDLL(None, use_errno=True)
if libc.mount(source.encode(), target.encode(), fstype.encode(), 0,
              options.encode() if options else None) != 0:
    print('mount_then: mount failed: ' + os.strerror(ctypes.get_errno()), file=sys.stderr)
    sys.exit(99)
# Python ignores SIGPIPE and SIGXFSZ for itself: the command gets them at their defaults, as from a shell.
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
os.execvp(sys.argv[sep + 1], sys.argv[sep + 1:])
