package org.umview.module;

/**
 * A mount that is a block device over a file (a loop device): a file system mounted from the
 * device is served from that file, and the device counts the mount among its users.
 */
public interface BlockDevice {
    /**
     * The file a file-system program should open in the device's place (a path in the view),
     * or null to open the device itself; ENXIO when the device has no file.
     */
    String image() throws ModuleException;

    /** Whether the device takes no writes (a file system on it is mounted read-only). */
    boolean readOnly();

    /** A mount of the view is made from the device. */
    void mounted();

    /** That mount ended (the device may let its file go: autoclear). */
    void unmounted();
}
