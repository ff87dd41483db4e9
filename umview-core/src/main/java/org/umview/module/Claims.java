package org.umview.module;

/**
 * What a module claims. Today a module claims file systems (mounts at paths); socket families,
 * devices and system call numbers come with the services that need them.
 */
public record Claims(boolean fileSystems) {
    public static final Claims FILE_SYSTEMS = new Claims(true);
    public static final Claims NOTHING = new Claims(false);
}
