package org.umview.libc;

/** errno values the core uses by name, and their symbolic names for messages and traces. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EXDEV = 18;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int EPROTO = 71;
    public static final int EBADFD = 77;
    public static final int EMSGSIZE = 90;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ECONNREFUSED = 111;
    public static final int ETIMEDOUT = 110;

    private Errno() {
    }

    /** "ENOENT", or "E123" for a number the platform does not name. */
    public static String name(int errno) {
        jnr.constants.platform.Errno constant = jnr.constants.platform.Errno.valueOf(errno);
        return constant == jnr.constants.platform.Errno.__UNKNOWN_CONSTANT__ ? "E" + errno : constant.name();
    }

    /** The strerror text, e.g. "No such file or directory". */
    public static String describe(int errno) {
        jnr.constants.platform.Errno constant = jnr.constants.platform.Errno.valueOf(errno);
        return constant == jnr.constants.platform.Errno.__UNKNOWN_CONSTANT__ ? "Unknown error " + errno : constant.description();
    }
}
