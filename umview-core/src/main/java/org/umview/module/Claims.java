package org.umview.module;

/**
 * What a module claims: file systems (mounts at paths), and the system's names (uname,
 * sethostname, setdomainname, answered by {@link SystemNames} mounts). Socket families and
 * devices come with the services that need them.
 */
public record Claims(boolean fileSystems, boolean systemNames) {
    public static final Claims FILE_SYSTEMS = new Claims(true, false);
    public static final Claims NOTHING = new Claims(false, false);
}
