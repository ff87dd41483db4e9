package org.umview.module;

import org.umview.libc.Errno;

/**
 * A mounted file system. The simplest kind maps its paths onto host paths and lets the kernel
 * do the work ({@link #hostPath}); the others serve the calls themselves, with paths always
 * absolute and canonical from the mount's root ("/").
 */
public interface FileSystem {
    /**
     * The ioctl requests the {@link ConnectedFile}s it opens answer (a tap's TUNSETIFF): their
     * descriptors are the kernel's sockets, so the core traps ioctl by these requests (and only
     * those) and hands each on such a socket to its file. None by default.
     */
    default java.util.Set<Long> connectedIoctls() {
        return java.util.Set.of();
    }

    /** The host path the kernel should use for {@code path}, or null when this file system serves it. */
    default String hostPath(String path) {
        return null;
    }

    /** What a call does to a path it names. */
    enum Use {
        /** Reads it, or the file it names. */
        LOOK,
        /** Reads only its attributes (stat, lstat, statx): otherwise as {@link #LOOK}. */
        ATTRIBUTES,
        /** Creates it, writes to it or changes its attributes. */
        CHANGE,
        /** Removes, renames or links it. */
        REMOVE
    }

    /**
     * As {@link #hostPath(String)}, knowing what the call will do there: a file system that
     * copies on write makes its copy here, before the kernel writes to the path returned.
     */
    default String hostPath(String path, Use use) throws ModuleException {
        return hostPath(path);
    }

    /**
     * Whether {@link #hostPath(String, Use)} with {@code CHANGE} may copy a file, and so take
     * long: it is then asked off the tracer thread, and only the caller waits.
     */
    default boolean copiesOnChange() {
        return false;
    }

    /**
     * Other mounts made with this one and gone with it, by canonical path in the view (a
     * {@code move} hides its source). The host paths this mount rewrites to are not narrowed
     * by them.
     */
    default java.util.Map<String, FileSystem> alongside() {
        return java.util.Map.of();
    }

    /** The block device this mount is, when a file system may be mounted from it; null otherwise. */
    default BlockDevice blockDevice() {
        return null;
    }

    /**
     * Whether the core checks permissions for this file system as the kernel does for a FUSE
     * mount with {@code default_permissions} (owner, group and other bits, supplementary
     * groups, search permission on every directory walked, root's bypass, sticky
     * directories) and makes its calls as the caller ({@link Caller#current()}); by default
     * the user acts as owner of everything in it.
     */
    default boolean enforcesPermissions() {
        return false;
    }

    /**
     * Whether files it creates belong to the mount's own ids rather than their caller's (a FUSE
     * program asked as root, so that the user acts as owner of everything): the core then gives
     * each new file to its caller, as the kernel would (the group of a set-group-ID directory).
     */
    default boolean createsAsMount() {
        return false;
    }

    /** A read-only mount: every call that would change something in it fails with EROFS. */
    default boolean readOnly() {
        return false;
    }

    /** mount -o remount,ro (or rw): makes the mount read-only or not in place; false if it cannot be (then it is made again). */
    default boolean remount(boolean readOnly) {
        return false;
    }

    /**
     * A hiding mount: the mount point and all below it do not exist (ENOENT), and the listing
     * of the directory it is in does not show it.
     */
    default boolean hides() {
        return false;
    }

    /**
     * Whether the mount narrows the view (hides, makes read-only, keeps changes from reaching
     * the host): the view then refuses every call that would get around it (namespaces, real
     * mounts, file handles, io_uring) and sees every path call.
     */
    default boolean narrows() {
        return hides() || readOnly();
    }

    /** Paths below the mount point (relative, no leading "/") that the mount leaves as they were. */
    default java.util.List<String> exceptions() {
        return java.util.List.of();
    }

    /**
     * Whether answering may wait on a process of the view (a FUSE daemon in the view, say):
     * then every call is worked out off the tracer thread, which must never wait on a tracee.
     */
    default boolean mayWaitOnTracees() {
        return false;
    }

    /**
     * For file systems that may wait on tracees: a stat answered when the file system's reply
     * comes, with no thread waiting for it (a FUSE program's reply is written on the tracer
     * thread, so the answer needs no hand-over at all); null to have {@link #stat} asked on a
     * module thread. The future fails with a {@link ModuleException}.
     */
    default java.util.concurrent.CompletableFuture<FileAttributes> statLater(String path, boolean follow) {
        return null;
    }

    /** stat ({@code follow}) or lstat of {@code path}. */
    default FileAttributes stat(String path, boolean follow) throws ModuleException {
        throw new ModuleException(Errno.ENOSYS);
    }

    /**
     * As {@link #statLater}, for an open: the open file when the reply comes, with no thread
     * waiting; null to have {@link #open} asked on a module thread. If the caller gave up
     * meanwhile, the file it completes with is closed. It is asked for opens that create
     * nothing: an O_NOFOLLOW open of a symlink must fail with ELOOP here.
     */
    default java.util.concurrent.CompletableFuture<OpenFile> openLater(String path, int flags, int mode) {
        return null;
    }

    /** Opens (or with O_CREAT creates) {@code path}; {@code flags} are open(2)'s. */
    default OpenFile open(String path, int flags, int mode) throws ModuleException {
        throw new ModuleException(Errno.ENOSYS);
    }

    default String readlink(String path) throws ModuleException {
        throw new ModuleException(Errno.EINVAL);
    }

    default void mkdir(String path, int mode) throws ModuleException {
        throw new ModuleException(Errno.EROFS);
    }

    default void rmdir(String path) throws ModuleException {
        throw new ModuleException(Errno.EROFS);
    }

    default void unlink(String path) throws ModuleException {
        throw new ModuleException(Errno.EROFS);
    }

    default void rename(String from, String to) throws ModuleException {
        throw new ModuleException(Errno.EROFS);
    }

    /** Creates symlink {@code path} whose text is {@code target}. */
    default void symlink(String target, String path) throws ModuleException {
        throw new ModuleException(Errno.EROFS);
    }

    default void link(String from, String to) throws ModuleException {
        throw new ModuleException(Errno.EROFS);
    }

    default void chmod(String path, int mode) throws ModuleException {
        throw new ModuleException(Errno.EROFS);
    }

    /** chown(2): -1 leaves that id as it is; {@code follow} false changes a symlink itself (lchown). */
    default void chown(String path, int uid, int gid, boolean follow) throws ModuleException {
        throw new ModuleException(Errno.EPERM);
    }

    /**
     * utimensat(2): the access and modification times to set; null leaves one as it is
     * (UTIME_OMIT); {@code follow} false sets a symlink's own. By default the times are kept
     * and the call succeeds if the file exists.
     */
    default void setTimes(String path, Timestamp access, Timestamp modification, boolean follow) throws ModuleException {
        stat(path, follow);
    }

    /**
     * mknod(2): makes a FIFO, socket, character or block device or regular file; {@code mode}
     * holds the type bits, {@code device} the device number of a device.
     */
    default void mknod(String path, int mode, long device) throws ModuleException {
        throw new ModuleException(Errno.EPERM);
    }

    default void truncate(String path, long length) throws ModuleException {
        throw new ModuleException(Errno.EROFS);
    }

    /** access(2): {@code mode} is R_OK|W_OK|X_OK, or F_OK (0). */
    default void access(String path, int mode) throws ModuleException {
        stat(path, true);
    }

    /** statfs(2) of the file system {@code path} is on. */
    default FileSystemStats statfs(String path) throws ModuleException {
        throw new ModuleException(Errno.ENOSYS);
    }

    /** The mount goes away: release what it holds. Called on the tracer thread: must not wait. */
    default void unmount() {
    }

    /**
     * Completes when the file system is over after {@link #unmount}: its program has exited and
     * what it wrote is stored. umount(2) returns then.
     */
    default java.util.concurrent.CompletableFuture<?> ended() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
}
