package org.umview.viewfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which source file each copy in a cow layer was made from (device and inode numbers), kept
 * on the copy as the extended attribute user.viewfs.origin, so a layer kept for a later mount
 * still knows (overlayfs keeps trusted.overlay.origin for the same reason); remembered in
 * memory for a layer whose file system has no user attributes.
 */
final class Origins {
    private static final String NAME = "viewfs.origin";

    /** By the copy's own device and inode: renames and hard links in the layer keep it. */
    private final Map<List<Long>, long[]> unmarked = new ConcurrentHashMap<>();

    /** Records that {@code copy} was made from {@code original}. */
    void record(Path copy, Path original) {
        long[] origin;
        try {
            origin = numbers(original);
        } catch (IOException e) {
            return; // the copy shows its own numbers
        }
        try {
            mark(copy, origin);
        } catch (IOException | UnsupportedOperationException e) {
            try {
                long[] own = numbers(copy);
                unmarked.put(List.of(own[0], own[1]), origin);
            } catch (IOException gone) {
                // nothing to number
            }
        }
    }

    /** Writes the mark; a read-only copy (git's objects) is made writable for it a moment, as user attributes need. */
    private static void mark(Path copy, long[] origin) throws IOException {
        ByteBuffer value = StandardCharsets.US_ASCII.encode(origin[0] + ":" + origin[1]);
        try {
            view(copy).write(NAME, value);
        } catch (java.nio.file.FileSystemException e) { // EACCES, told as a plain FileSystemException
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(copy);
            java.util.Set<java.nio.file.attribute.PosixFilePermission> writable = java.util.EnumSet.copyOf(mode);
            writable.add(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            Files.setPosixFilePermissions(copy, writable);
            try {
                view(copy).write(NAME, value.rewind());
            } finally {
                Files.setPosixFilePermissions(copy, mode);
            }
        }
    }

    /** The device and inode numbers of the source file {@code copy} was made from, or null. */
    long[] of(Path copy) {
        if (!unmarked.isEmpty()) {
            try {
                long[] own = numbers(copy);
                long[] origin = unmarked.get(List.of(own[0], own[1]));
                if (origin != null) {
                    return origin;
                }
            } catch (IOException e) {
                return null;
            }
        }
        try {
            UserDefinedFileAttributeView view = view(copy);
            ByteBuffer value = ByteBuffer.allocate(64);
            view.read(NAME, value);
            String[] parts = StandardCharsets.US_ASCII.decode(value.flip()).toString().split(":");
            return parts.length == 2 ? new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])} : null;
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return null; // not a copy (ENODATA), or not one of ours
        }
    }

    private static UserDefinedFileAttributeView view(Path file) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new IOException("no user attributes");
        }
        return view;
    }

    private static long[] numbers(Path file) throws IOException {
        Map<String, Object> unix = Files.readAttributes(file, "unix:dev,ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return new long[] {(Long) unix.get("dev"), (Long) unix.get("ino")};
    }
}
