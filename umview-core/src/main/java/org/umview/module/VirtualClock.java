package org.umview.module;

/**
 * A mounted file system that also gives the processes seeing it their wall clock: the times
 * clock_gettime(CLOCK_REALTIME), gettimeofday and time report, and the times stat reports of
 * files written since the clock started, pass through it. Those
 * processes get no vDSO, so that their clock calls reach the supervisor.
 */
public interface VirtualClock {
    /** The view's time, in nanoseconds since the epoch, for the host's {@code hostNanos}. */
    long fromHost(long hostNanos);

    /**
     * When, in the host's nanoseconds, the view's clock started: file times from then on were
     * made under it and are shown on it (stat); older ones are shown as they are.
     */
    long since();
}
