package org.umview.module;

/** One name in a directory listing, with its inode and d_type (DT_REG, DT_DIR, ...). */
public record DirectoryEntry(String name, long inode, int type) {
    public static final int DT_UNKNOWN = 0;
    public static final int DT_DIR = 4;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
}
