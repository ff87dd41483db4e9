"""THREADS threads start at once and each opens, reads and closes FILE ROUNDS times: every
read must be the file's (descriptor numbers freed by one thread are taken by another)."""
import os
import sys
import threading

path, rounds, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "rb") as f:
    expected = f.read(16)
start = threading.Barrier(count)
wrong = []


def work():
    start.wait()
    for i in range(rounds):
        fd = os.open(path, os.O_RDONLY)
        if os.read(fd, 16) != expected:
            wrong.append((fd, i))
        os.close(fd)


threads = [threading.Thread(target=work) for _ in range(count)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(count, "threads x", rounds, "wrong:", len(wrong), wrong[:5])
