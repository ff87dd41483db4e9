package org.umview.umfuse;

/** Who a request says made it (fuse_in_header uid, gid, pid). */
record Credentials(int uid, int gid, int pid) {
    /** The default: the user acts as owner of everything in the mounted file system. */
    static final Credentials OWNER = new Credentials(0, 0, 0);
}
