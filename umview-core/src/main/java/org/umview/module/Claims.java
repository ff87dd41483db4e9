package org.umview.module;

/**
 * What a module claims: file systems (mounts at paths), the system's names (uname,
 * sethostname, setdomainname, answered by {@link SystemNames} mounts), the processes'
 * identity (the uid and gid calls, answered by {@link Identity} mounts), the wall clock
 * ({@link VirtualClock} mounts) and network stacks ({@link NetworkStack} mounts: the socket calls).
 */
public record Claims(boolean fileSystems, boolean systemNames, boolean identity, boolean clock, boolean sockets) {
    public static final Claims FILE_SYSTEMS = new Claims(true, false, false, false, false);
    public static final Claims NOTHING = new Claims(false, false, false, false, false);
    public static final Claims STACKS = new Claims(true, false, false, false, true);
}
