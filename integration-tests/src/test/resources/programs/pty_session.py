#!/usr/bin/python3
"""Drives an interactive command through a pseudo-terminal, as a person at a keyboard would.

usage: pty_session.py SCRIPT -- COMMAND [ARG...]
SCRIPT lines: 'send TEXT' (\\n, \\x03 escapes), 'expect REGEX' (waits up to 10 s),
'sleep SECONDS'. Prints the whole screen output at the end; exits 0 when every
expectation was met and the command exited, 1 otherwise (saying which step failed).
"""
import os, pty, re, select, sys, time

def main():
    sep = sys.argv.index('--')
    script = open(sys.argv[1]).read().splitlines()
    command = sys.argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    seen = b''
    def read_for(seconds, until_data=False):
        """Collects output for `seconds` (or until some arrives); False once the pty is closed."""
        nonlocal seen
        end = time.time() + seconds
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
            if not r:
                continue
            try:
                data = os.read(fd, 4096)
            except OSError:
                return False
            if not data:
                return False
            seen += data
            if until_data:
                return True
        return True
    cursor = 0
    for step in script:
        if not step.strip():
            continue
        verb, _, arg = step.partition(' ')
        if verb == 'send':
            os.write(fd, arg.encode().decode('unicode_escape').encode('latin-1'))
        elif verb == 'sleep':
            read_for(float(arg))
        elif verb == 'expect':
            pattern = re.compile(arg.encode())
            deadline = time.time() + 10
            while True:
                m = pattern.search(seen, cursor)
                if m:
                    cursor = m.end()
                    break
                if time.time() > deadline or not read_for(0.2, until_data=True):
                    print(seen.decode(errors='replace'))
                    print('pty_session: timed out waiting for: ' + arg)
                    os.kill(pid, 9)
                    sys.exit(1)
        else:
            print('pty_session: bad step: ' + step)
            sys.exit(2)
    deadline = time.time() + 10
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            print(seen.decode(errors='replace'))
            print('pty_session: exit status %d' % os.waitstatus_to_exitcode(status))
            sys.exit(0)
        read_for(0.1)
    print(seen.decode(errors='replace'))
    print('pty_session: the command did not exit')
    os.kill(pid, 9)
    sys.exit(1)

main()
