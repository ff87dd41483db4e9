package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.umview.memory.TraceeMemory;
import org.umview.module.VirtualClock;
import org.umview.syscall.SyscallRequest;
import org.umview.view.View;

/**
 * The wall clock of a view with a {@link VirtualClock} mount: the kernel reads the host's
 * clock, and the answer is changed on its way back; so are the times of files written since.
 */
final class ClockCalls {
    static final List<String> CALLS = List.of("clock_gettime", "gettimeofday", "time");
    /** Calls whose answer holds file times. */
    static final java.util.Set<String> FILE_TIMES = java.util.Set.of("stat", "lstat", "fstat", "newfstatat", "statx");
    /* Where struct stat keeps st_atim, st_mtim and st_ctim; where struct statx keeps its four times. */
    private static final int[] STAT_TIMES = {72, 88, 104};
    private static final int[] STATX_TIMES = {64, 80, 96, 112};
    private static final long CLOCK_REALTIME = 0;
    private static final long CLOCK_REALTIME_COARSE = 5;
    private static final long BILLION = 1_000_000_000L;

    private final View view;
    private final TraceeMemory memory;

    ClockCalls(View view, TraceeMemory memory) {
        this.view = view;
        this.memory = memory;
    }

    Verdict decide(SyscallRequest request) {
        List<VirtualClock> clocks = view.mounts().serving(VirtualClock.class, view.of(request.process()), request.process().epoch());
        if (clocks.isEmpty()) {
            return Verdict.CONTINUE;
        }
        VirtualClock virtual = clocks.get(0);
        int tid = request.tid();
        return switch (request.call().name()) {
            case "clock_gettime" -> {
                long which = request.arg(0);
                if (which != CLOCK_REALTIME && which != CLOCK_REALTIME_COARSE) {
                    yield Verdict.CONTINUE;
                }
                yield Verdict.watch(result -> {
                    if (result == 0) {
                        shift(tid, request.arg(1), virtual, 1);
                    }
                });
            }
            case "gettimeofday" -> request.arg(0) == 0 ? Verdict.CONTINUE : Verdict.watch(result -> {
                if (result == 0) {
                    shift(tid, request.arg(0), virtual, 1000);
                }
            });
            default -> new Verdict.Rewrite(Verdict.SAME_CALL, List.of(), result -> {
                if (result >= 0 && request.arg(0) != 0) {
                    byte[] seconds = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(virtual.fromHost(result * BILLION) / BILLION).array();
                    memory.write(tid, request.arg(0), seconds);
                }
            }, result -> result < 0 ? result : virtual.fromHost(result * BILLION) / BILLION);
        };
    }

    /**
     * {@code verdict} on a stat call, with the file times the kernel reports moved to the
     * view's clock when they are from after it started.
     */
    Verdict fileTimes(SyscallRequest request, Verdict verdict) {
        List<VirtualClock> clocks = view.mounts().serving(VirtualClock.class, view.of(request.process()), request.process().epoch());
        if (clocks.isEmpty()) {
            return verdict;
        }
        VirtualClock clock = clocks.get(0);
        String name = request.call().name();
        long buffer = request.arg(switch (name) {
            case "newfstatat" -> 2;
            case "statx" -> 4;
            default -> 1;
        });
        int[] offsets = name.equals("statx") ? STATX_TIMES : STAT_TIMES;
        int tid = request.tid();
        java.util.function.LongConsumer shift = result -> {
            if (result == 0) {
                shiftFileTimes(tid, buffer, offsets, clock);
            }
        };
        if (verdict instanceof Verdict.Continue) {
            return Verdict.watch(shift);
        }
        if (verdict instanceof Verdict.Rewrite rewrite && rewrite.number() == Verdict.SAME_CALL) {
            return new Verdict.Rewrite(rewrite.number(), rewrite.changes(),
                    rewrite.then() == null ? shift : rewrite.then().andThen(shift), rewrite.result());
        }
        return verdict; // served by a module: its times are its own
    }

    private void shiftFileTimes(int tid, long buffer, int[] offsets, VirtualClock clock) {
        int end = offsets[offsets.length - 1] + 16;
        ByteBuffer times = ByteBuffer.wrap(memory.read(tid, buffer, end)).order(ByteOrder.LITTLE_ENDIAN);
        boolean statx = offsets == STATX_TIMES;
        for (int at : offsets) {
            long nanos = times.getLong(at) * BILLION + (statx ? Integer.toUnsignedLong(times.getInt(at + 8)) : times.getLong(at + 8));
            if (nanos < clock.since()) {
                continue;
            }
            long shifted = clock.fromHost(nanos);
            times.putLong(at, Math.floorDiv(shifted, BILLION));
            if (statx) {
                times.putInt(at + 8, (int) Math.floorMod(shifted, BILLION));
            } else {
                times.putLong(at + 8, Math.floorMod(shifted, BILLION));
            }
        }
        memory.write(tid, buffer, times.array());
    }

    /* A struct timespec (unit 1) or timeval (unit 1000: microseconds) at address, moved to the view's clock. */
    private void shift(int tid, long address, VirtualClock clock, long unit) {
        ByteBuffer time = ByteBuffer.wrap(memory.read(tid, address, 16)).order(ByteOrder.LITTLE_ENDIAN);
        long nanos = time.getLong(0) * BILLION + time.getLong(8) * unit;
        long shifted = clock.fromHost(nanos);
        time.putLong(0, Math.floorDiv(shifted, BILLION)).putLong(8, Math.floorMod(shifted, BILLION) / unit);
        memory.write(tid, address, time.array());
    }
}
