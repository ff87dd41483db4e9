package org.umview.ummisc;

import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.ModuleException;
import org.umview.module.VirtualClock;

/**
 * The view's wall clock as files: {@code offset} (seconds added) and {@code frequency} (how
 * fast the view's clock runs, from the moment of the mount or of the last change).
 */
final class TimeFiles extends ValueFiles implements VirtualClock {
    static final List<String> NAMES = List.of("offset", "frequency");
    private static final double BILLION = 1e9;

    private String offsetText = "0";
    private String frequencyText = "1";
    /** The view's time = base + (host - hostBase) * frequency. */
    private long hostBase = System.currentTimeMillis() * 1_000_000L;
    private final long mounted = hostBase;
    private long base = hostBase;
    private double frequency = 1;
    private long offsetNanos;

    TimeFiles(int uid, int gid) {
        super(NAMES, uid, gid, 0x7d);
    }

    @Override
    synchronized void set(String name, String value) throws ModuleException {
        double number;
        try {
            number = value.isBlank() ? (name.equals("offset") ? 0 : 1) : Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new ModuleException(Errno.EINVAL, name + "=" + value + " is not a number");
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        long viewNow = fromHost(now);
        switch (name) {
            case "offset" -> {
                // The offset is against the host's clock: the view's now moves by the difference.
                long newOffset = (long) (number * BILLION);
                base = viewNow - offsetNanos + newOffset;
                offsetNanos = newOffset;
                offsetText = value.strip().isEmpty() ? "0" : value.strip();
            }
            case "frequency" -> {
                if (!(number > 0)) {
                    throw new ModuleException(Errno.EINVAL, "frequency must be above 0");
                }
                base = viewNow;
                frequency = number;
                frequencyText = value.strip().isEmpty() ? "1" : value.strip();
            }
            default -> throw new ModuleException(Errno.EINVAL, "ummisctime options are offset= and frequency=");
        }
        hostBase = now;
    }

    @Override
    synchronized String get(int index) {
        return index == 0 ? offsetText : frequencyText;
    }

    @Override
    public long since() {
        return mounted;
    }

    @Override
    public synchronized long fromHost(long hostNanos) {
        return base + (long) ((hostNanos - hostBase) * frequency);
    }
}
