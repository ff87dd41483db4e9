"""The kernel's VFS rules, call by call, in the directory given: one line per call with its
result (OK or the errno's name), to compare a served file system with the host's.
Each rule is a call the kernel refuses before a file system sees it, or a file type a file
system must be able to hold; a wrong answer here damaged images once."""
import errno
import os
import socket
import stat
import sys

os.chdir(sys.argv[1])
os.umask(0o022)


def attempt(label, call):
    try:
        result = call()
        print(f"{label}: OK" + ("" if result is None else f" {result}"))
    except OSError as e:
        print(f"{label}: {errno.errorcode.get(e.errno, e.errno)}")


def kind(path):
    mode = os.lstat(path).st_mode
    return {stat.S_IFIFO: "fifo", stat.S_IFSOCK: "socket", stat.S_IFDIR: "dir", stat.S_IFREG: "file",
            stat.S_IFLNK: "link", stat.S_IFCHR: "chr", stat.S_IFBLK: "blk"}[stat.S_IFMT(mode)]


os.mkdir("d")
os.mkdir("d/sub")
with open("f", "w") as f:
    f.write("twelve bytes")
os.link("f", "hard")
os.symlink("nowhere", "dangling")
os.symlink("f", "tofile")

attempt("mkdir existing", lambda: os.mkdir("d"))
attempt("mkdir .", lambda: os.mkdir("."))
attempt("mkdir d/.", lambda: os.mkdir("d/."))
attempt("mkdir d/..", lambda: os.mkdir("d/.."))
attempt("mkdir over dangling link", lambda: os.mkdir("dangling"))
attempt("mkdir in a file", lambda: os.mkdir("f/x"))
attempt("mkdir in missing", lambda: os.mkdir("missing/x"))
attempt("rmdir d/.", lambda: os.rmdir("d/."))
attempt("rmdir d/sub/..", lambda: os.rmdir("d/sub/.."))
attempt("rmdir a file", lambda: os.rmdir("f"))
attempt("rmdir non-empty", lambda: os.rmdir("d"))
attempt("truncate a directory", lambda: os.truncate("d", 0))
attempt("truncate negative", lambda: os.truncate("f", -1))
attempt("O_EXCL existing", lambda: os.close(os.open("f", os.O_CREAT | os.O_EXCL | os.O_WRONLY)))
attempt("O_EXCL dangling link", lambda: os.close(os.open("dangling", os.O_CREAT | os.O_EXCL | os.O_WRONLY)))
attempt("O_CREAT a directory", lambda: os.close(os.open("d", os.O_CREAT | os.O_WRONLY)))
attempt("O_WRONLY a directory", lambda: os.close(os.open("d", os.O_WRONLY)))
attempt("O_NOFOLLOW a symlink", lambda: os.close(os.open("tofile", os.O_RDONLY | os.O_NOFOLLOW)))
attempt("O_DIRECTORY a file", lambda: os.close(os.open("f", os.O_RDONLY | os.O_DIRECTORY)))
attempt("open file/", lambda: os.close(os.open("f/", os.O_RDONLY)))
attempt("open in a file", lambda: os.close(os.open("f/x", os.O_RDONLY)))
attempt("stat file/", lambda: os.stat("f/") and None)
attempt("symlink existing", lambda: os.symlink("x", "f"))
attempt("symlink empty target", lambda: os.symlink("", "newlink"))
attempt("mkfifo existing", lambda: os.mkfifo("d"))
attempt("link existing", lambda: os.link("f", "tofile"))
attempt("link a directory", lambda: os.link("d", "dlink"))
attempt("link onto d/.", lambda: os.link("f", "d/."))
attempt("unlink a directory", lambda: os.unlink("d"))
attempt("unlink file/", lambda: os.unlink("f/"))
attempt("rename d/. away", lambda: os.rename("d/.", "e"))
attempt("rename onto d/..", lambda: os.rename("f", "d/.."))
attempt("rename a file over a directory", lambda: os.rename("f", "d"))
attempt("rename a directory over a file", lambda: os.rename("d", "f"))
attempt("rename a directory into itself", lambda: os.rename("d", "d/sub/d"))
attempt("rename onto its own hard link", lambda: os.rename("f", "hard"))
attempt("both names still there", lambda: (os.path.exists("f"), os.path.exists("hard")))


def ftruncate_read_only():
    fd = os.open("f", os.O_RDONLY)
    try:
        os.ftruncate(fd, 3)
    finally:
        os.close(fd)


attempt("ftruncate read-only", ftruncate_read_only)
attempt("size unchanged", lambda: os.stat("f").st_size)
attempt("lchown a dangling link", lambda: os.lchown("dangling", os.getuid(), -1))
attempt("utime a dangling link itself", lambda: os.utime("dangling", (1, 2), follow_symlinks=False))
attempt("mtime of the link", lambda: os.lstat("dangling").st_mtime)
attempt("chmod 6755", lambda: os.chmod("f", 0o6755))
attempt("chown keeps the owner", lambda: os.chown("f", os.getuid(), -1))
attempt("mode after chown", lambda: oct(os.stat("f").st_mode & 0o7777))
attempt("mkfifo", lambda: os.mkfifo("fifo", 0o640))
attempt("fifo type and mode", lambda: (kind("fifo"), oct(os.lstat("fifo").st_mode & 0o777)))
attempt("mknod a socket node", lambda: os.mknod("sock", 0o600 | stat.S_IFSOCK))
attempt("socket node type", lambda: kind("sock"))
attempt("mknod a regular file", lambda: os.mknod("plain", 0o644))
attempt("regular file type", lambda: kind("plain"))
attempt("mknod a directory", lambda: os.mknod("dirnode", 0o755 | stat.S_IFDIR))
attempt("remove the fifo", lambda: os.unlink("fifo"))
print("listing:", " ".join(sorted(n for n in os.listdir(".") if n != "lost+found")))
