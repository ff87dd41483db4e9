#!/bin/bash
# Tries to read (or write) a file the view hides (or keeps read-only) through user and mount
# namespaces and real mounts; one line per attempt, "ESCAPED" when it got through.
# usage: namespace_escapes.sh read|write FILE SCRATCH_DIR PID_IN_A_NAMESPACE_OF_THE_USER [CONTENT]
# CONTENT: what FILE holds, as the host has it (a reading attempt got through if it prints it).
mode=$1 file=$2 scratch=$3 outside=$4 expected=${5:-done}
parent=$(dirname "$(dirname "$file")") rest=${file#"$parent"/}
# What each attempt does to the file, as a shell command and in python.
act() { if [ "$mode" = write ]; then echo "echo escaped >> '$1' && echo done"; else echo "cat '$1'"; fi; }
py_act() { if [ "$mode" = write ]; then echo "open($1, 'a').write('escaped'); print('done')"; else echo "print(open($1).read().strip())"; fi; }
attempt() { # name, command...
    local name=$1; shift
    if out=$("$@" 2>/dev/null) && [ -n "$out" ] && [ "$out" = "$expected" ]; then echo "ESCAPED $name"; else echo "refused $name"; fi
}
mkdir -p "$scratch/bind" "$scratch/rbind"
attempt "unshare + mount --bind" unshare -Urm sh -c "mount --bind '$parent' '$scratch/bind' && $(act "$scratch/bind/$rest")"
attempt "unshare + mount --rbind /" unshare -Urm sh -c "mount --rbind / '$scratch/rbind' && $(act "$scratch/rbind$file")"
attempt "unshare + open_tree(OPEN_TREE_CLONE)" unshare -Urm python3 -c "
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.syscall(428, -100, b'$parent', 1 | 0o2000000)
$(py_act "'/proc/self/fd/%d/$rest' % fd")"
attempt "clone3(CLONE_NEWUSER)" python3 -c "
import ctypes, os, struct
libc = ctypes.CDLL(None, use_errno=True)
args = ctypes.create_string_buffer(struct.pack('QQQQQQQQ', 0x10000000, 0, 0, 0, 17, 0, 0, 0), 64)
pid = libc.syscall(435, args, 64)
if pid == 0:
    os._exit(0)
if pid > 0:
    os.waitpid(pid, 0)
    print('$expected')"
attempt "clone(CLONE_NEWUSER|CLONE_NEWNS)" python3 -c "
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
pid = libc.syscall(56, 0x10020000 | 17, 0, 0, 0, 0)
if pid == 0:
    os._exit(0)
if pid > 0:
    os.waitpid(pid, 0)
    print('$expected')"
attempt "setns into another mount namespace" nsenter -t "$outside" -U -m --preserve-credentials sh -c "$(act "$file")"
if [ "$mode" = write ]; then listener_args=("$file" escaped); else listener_args=("$file"); fi
attempt "a seccomp listener of its own letting openat through" python3 "$(dirname "$0")/seccomp_listener.py" "${listener_args[@]}"
attempt "chroot in a new user namespace" unshare -Ur chroot / sh -c "$(act "$file")"
