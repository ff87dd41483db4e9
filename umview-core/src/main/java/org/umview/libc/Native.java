package org.umview.libc;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** Loads the libc bindings once and gives access to errno and native memory. */
public final class Native {
    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {
    }

    public static LibC libc() {
        return LIBC;
    }

    /** The rarely used calls, bound on first use so that their proxy costs nothing at start-up. */
    public static ProcessControl processControl() {
        return ProcessControlHolder.INSTANCE;
    }

    /** errno of the last failed call on this thread; meaningful only right after a -1. */
    public static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    public static Pointer allocate(int bytes) {
        return Memory.allocateDirect(RUNTIME, bytes, true);
    }

    private static final class ProcessControlHolder {
        static final ProcessControl INSTANCE = LibraryLoader.create(ProcessControl.class).load("c");
    }
}
