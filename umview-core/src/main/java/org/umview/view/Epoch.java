package org.umview.view;

import java.util.concurrent.atomic.AtomicLong;

/** The supervisor's clock of view changes: each mount takes the next tick. */
public final class Epoch {
    private static final AtomicLong CLOCK = new AtomicLong();

    private Epoch() {
    }

    public static long next() {
        return CLOCK.incrementAndGet();
    }

    /** The last tick given: a process limited to it sees no mount made from now on. */
    public static long current() {
        return CLOCK.get();
    }

    /**
     * Before any mount: what a module places in the view ({@code /dev/fuse}) has it, so that
     * every process sees it whenever it was made, and a process limited to it sees nothing else.
     */
    public static final long ALWAYS = 0;

    /** "Now": sees every mount made so far. */
    public static long now() {
        return Long.MAX_VALUE;
    }
}
