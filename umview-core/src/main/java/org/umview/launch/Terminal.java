package org.umview.launch;

import jnr.ffi.Pointer;
import org.umview.libc.Native;
import org.umview.libc.ProcessControl;

/**
 * The controlling terminal as umview found it. The shim moves the view into a process group
 * of its own and makes it the terminal's foreground, so Ctrl-C and Ctrl-Z reach the view and
 * never the JVM; when the view ends, the terminal goes back to umview's group.
 */
public final class Terminal {
    private static final int STDIN = 0;
    private static final int SIG_BLOCK = 0;
    private static final int SIG_SETMASK = 2;
    private static final int SIGTTOU = 22;

    private final boolean foregroundAtStart;

    private Terminal(boolean foregroundAtStart) {
        this.foregroundAtStart = foregroundAtStart;
    }

    public static Terminal current() {
        ProcessControl pc = Native.processControl();
        return new Terminal(pc.isatty(STDIN) == 1 && pc.tcgetpgrp(STDIN) == pc.getpgrp());
    }

    /** Takes the foreground back for umview's process group if the view still holds it. */
    public void restore() {
        if (!foregroundAtStart) {
            return;
        }
        ProcessControl pc = Native.processControl();
        int own = pc.getpgrp();
        if (pc.tcgetpgrp(STDIN) == own) {
            return;
        }
        // From a background group tcsetpgrp raises SIGTTOU unless the calling thread blocks it.
        Pointer block = Native.allocate(128);
        Pointer saved = Native.allocate(128);
        pc.sigemptyset(block);
        pc.sigaddset(block, SIGTTOU);
        pc.pthread_sigmask(SIG_BLOCK, block, saved);
        pc.tcsetpgrp(STDIN, own);
        pc.pthread_sigmask(SIG_SETMASK, saved, null);
    }
}
