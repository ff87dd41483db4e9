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

    /** "Now": sees every mount made so far. */
    public static long now() {
        return Long.MAX_VALUE;
    }
}
