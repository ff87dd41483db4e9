package org.umview.testmods;

import jnr.ffi.Pointer;

/** The host's file calls, for the unreal module to serve a view with the real file system. */
public interface HostLibC {
    int stat(String path, Pointer buf);

    int lstat(String path, Pointer buf);

    int fstat(int fd, Pointer buf);

    int open(String path, int flags, int mode);

    int close(int fd);

    long pread(int fd, Pointer buf, long count, long offset);

    long pwrite(int fd, Pointer buf, long count, long offset);

    long getdents64(int fd, Pointer buf, long count);

    int mkdir(String path, int mode);

    int rmdir(String path);

    int unlink(String path);

    int rename(String from, String to);

    int symlink(String target, String path);

    int link(String from, String to);

    long readlink(String path, Pointer buf, long size);

    int chmod(String path, int mode);

    int chown(String path, int uid, int gid);

    int lchown(String path, int uid, int gid);

    /** utimensat(AT_FDCWD, path, times, flags): times is two struct timespec. */
    int utimensat(int dirfd, String path, Pointer times, int flags);

    int mknod(String path, int mode, long device);

    int truncate(String path, long length);

    int ftruncate(int fd, long length);

    int fsync(int fd);

    int access(String path, int mode);

    int statfs(String path, Pointer buf);
}
