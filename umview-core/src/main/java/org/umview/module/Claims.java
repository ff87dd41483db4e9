package org.umview.module;

/**
 * What a module claims: file systems (mounts at paths), the system's names (uname,
 * sethostname, setdomainname, answered by {@link SystemNames} mounts) and the processes'
 * identity (the uid and gid calls, answered by {@link Identity} mounts) and the wall clock
 * ({@link VirtualClock} mounts). Socket families and
 * devices come with the services that need them.
 */
public record Claims(boolean fileSystems, boolean systemNames, boolean identity, boolean clock) {
    public static final Claims FILE_SYSTEMS = new Claims(true, false, false, false);
    public static final Claims NOTHING = new Claims(false, false, false, false);
}
