package org.umview.module;

/** A time to give a file (utimensat(2)): seconds and nanoseconds since the epoch, or {@link #NOW}. */
public record Timestamp(long seconds, int nanos, boolean now) {
    /** The time of the call, as the file system's clock tells it (UTIME_NOW). */
    public static final Timestamp NOW = new Timestamp(0, 0, true);

    public static Timestamp of(long seconds, int nanos) {
        return new Timestamp(seconds, nanos, false);
    }
}
