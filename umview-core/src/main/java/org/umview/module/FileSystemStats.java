package org.umview.module;

/** What statfs(2) reports about a file system: sizes in blocks of {@code blockSize} bytes. */
public record FileSystemStats(long type, long blockSize, long blocks, long freeBlocks, long availableBlocks, long files,
        long freeFiles, long nameMax, long flags) {
}
