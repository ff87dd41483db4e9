"""Virtual descriptors under load: FILE (in a served file system) opened COUNT times at once,
dup2'ed to high numbers, read by 64 threads 500 times each, then opened, read and closed
ROUNDS times. Prints what it read, so that a descriptor served wrong shows."""
import os
import resource
import sys
import threading

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 16384), hard))

path, count, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "rb") as f:
    expected = f.read(16)
fds = [os.open(path, os.O_RDONLY) for _ in range(count)]
print("open at once:", len(fds), "all read right:", all(os.pread(fd, 16, 0) == expected for fd in fds))
high = [os.dup2(fds[i], count + 1000 + 7 * i) for i in range(200)]
print("dup2 to high numbers:", all(os.pread(fd, 16, 0) == expected for fd in high))
for fd in fds + high:
    os.close(fd)
failures = []


def work():
    for _ in range(500):
        fd = os.open(path, os.O_RDONLY)
        if os.read(fd, 16) != expected:
            failures.append(fd)
        os.close(fd)


threads = [threading.Thread(target=work) for _ in range(64)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("64 threads x 500:", "ok" if not failures else failures[:5])
wrong = 0
for _ in range(rounds):
    fd = os.open(path, os.O_RDONLY)
    wrong += os.read(fd, 16) != expected
    os.close(fd)
print("rounds:", rounds, "wrong:", wrong)
