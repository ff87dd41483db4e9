package org.umview.module;

/**
 * A mounted file system that also tells the processes seeing it who they are: their uid and
 * gid calls (real, effective, saved, and the groups) answer from it. The kernel still checks
 * the real ids on everything it does.
 */
public interface Identity {
    int uid();

    int gid();
}
