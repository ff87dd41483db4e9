package org.umview.libc;

import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;

/** readlink(2) without exceptions: /proc is read this way on hot paths. */
public final class Links {
    private static final int PATH_MAX = 4096;
    private static final ThreadLocal<Pointer> BUFFER = ThreadLocal.withInitial(() -> Native.allocate(PATH_MAX));

    private Links() {
    }

    /** The text of the symlink at {@code path}, or null if it is not one (or cannot be read). */
    public static String readlink(String path) {
        Pointer buffer = BUFFER.get();
        long length = Native.libc().readlink(path, buffer, PATH_MAX);
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[(int) length];
        buffer.get(0, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
