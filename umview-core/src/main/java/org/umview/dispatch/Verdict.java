package org.umview.dispatch;

import java.util.List;
import java.util.function.LongConsumer;

/** What the supervisor does with a trapped system call. */
public sealed interface Verdict {
    /** Let the kernel run the call as the tracee made it. */
    Verdict CONTINUE = new Continue();

    /** Skip the call; the tracee sees {@code value} (a result, or -errno) as its return value. */
    static Verdict result(long value) {
        return new Result(value);
    }

    static Verdict error(int errno) {
        return new Result(-errno);
    }

    /**
     * Let the kernel run the call with some arguments replaced. The tracee's own argument
     * registers are put back when the call returns, and a restarted call is decided anew, so a
     * rewrite must depend only on the call itself.
     */
    static Verdict rewrite(List<ArgumentChange> changes) {
        return new Rewrite(SAME_CALL, List.copyOf(changes), null, null);
    }

    /** Let the kernel run the call and tell {@code then} its result (-errno on failure). */
    static Verdict watch(LongConsumer then) {
        return new Rewrite(SAME_CALL, List.of(), then, null);
    }

    /** Make the kernel run call {@code number} with {@code changes} instead, then tell {@code then}. */
    static Verdict replace(int number, List<ArgumentChange> changes, LongConsumer then) {
        return new Rewrite(number, List.copyOf(changes), then, null);
    }

    /** Let the kernel run the call; the tracee sees {@code result} of what the kernel returned. */
    static Verdict filter(java.util.function.LongUnaryOperator result) {
        return new Rewrite(SAME_CALL, List.of(), null, result);
    }

    /**
     * The answer takes work that may wait on traced processes: it is done on another thread,
     * the tracee stays stopped meanwhile, and the tracer carries out the verdict when it comes.
     */
    static Verdict later(java.util.concurrent.CompletableFuture<Verdict> verdict) {
        return new Pending(verdict, () -> { });
    }

    /**
     * As {@link #later(java.util.concurrent.CompletableFuture)}, for work that a signal to the
     * caller may cut short: {@code interrupt} makes it end soon with EINTR, as a blocking call would.
     */
    static Verdict later(java.util.concurrent.CompletableFuture<Verdict> verdict, Runnable interrupt) {
        return new Pending(verdict, interrupt);
    }

    /** The tracee must be made ready first (a filter installed); then the call is decided again. */
    static Verdict prepare(Preparation preparation) {
        return new Prepare(preparation);
    }

    /**
     * The call's result is a new descriptor of the caller's: a copy of the supervisor's
     * descriptor {@code hostFd} opens (the supervisor closes its own after), close-on-exec if
     * {@code flags} has O_CLOEXEC; {@code then} gets its number (or -errno). Where no listener
     * can place it (a ptrace stop), the call is carried out as {@code elsewhere} instead.
     */
    static Verdict descriptor(java.util.function.IntSupplier hostFd, int flags, LongConsumer then, Rewrite elsewhere) {
        return new Descriptor(hostFd, flags, then, elsewhere);
    }

    /** The work the call needed first is done: decide it again. */
    Verdict AGAIN = new Again();

    int SAME_CALL = -1;

    record Again() implements Verdict {
    }

    record Continue() implements Verdict {
    }

    record Result(long value) implements Verdict {
    }

    record Prepare(Preparation preparation) implements Verdict {
    }

    record Pending(java.util.concurrent.CompletableFuture<Verdict> verdict, Runnable interrupt) implements Verdict {
    }

    /** See {@link #descriptor}. */
    record Descriptor(java.util.function.IntSupplier hostFd, int flags, LongConsumer then, Rewrite elsewhere) implements Verdict {
    }

    /** Work on a tracee before one of its calls can be served. */
    enum Preparation {
        /** Trap getcwd and fchdir in this process: it is about to have a cwd the kernel does not know. */
        CWD_TRAPS
    }

    /**
     * {@code number} (or {@link #SAME_CALL}) with some arguments changed; {@code then}, if not
     * null, gets the result when the call returns; {@code result}, if not null, makes the
     * result the tracee sees from the kernel's.
     */
    record Rewrite(int number, List<ArgumentChange> changes, LongConsumer then,
            java.util.function.LongUnaryOperator result) implements Verdict {
        /** Bytes the changes place in the tracee's scratch memory. */
        public int scratchBytes() {
            return changes.stream().mapToInt(ArgumentChange::scratchBytes).sum();
        }
    }

    /**
     * Argument {@code index} becomes {@code value}, or, when {@code data} is given, the
     * address of a copy of {@code data} in the tracee's memory.
     */
    record ArgumentChange(int index, long value, byte[] data, PointerArray pointers) {
        public ArgumentChange(int index, long value, byte[] data) {
            this(index, value, data, null);
        }

        public static ArgumentChange value(int index, long value) {
            return new ArgumentChange(index, value, null);
        }

        public static ArgumentChange string(int index, String text) {
            return new ArgumentChange(index, 0, cString(text));
        }

        /** An array of pointers (an argv) placed in scratch memory; see {@link PointerArray}. */
        public static ArgumentChange pointers(int index, PointerArray pointers) {
            return new ArgumentChange(index, 0, null, pointers);
        }

        /** Bytes this change places in scratch memory. */
        int scratchBytes() {
            if (pointers != null) {
                int strings = java.util.Arrays.stream(pointers.pointed()).mapToInt(b -> b == null ? 0 : b.length).sum();
                return strings + 8 + 8 * pointers.values().length;
            }
            return data == null ? 0 : data.length;
        }
    }

    /**
     * Pointers the tracee will read: element i is the address of a copy of {@code pointed[i]}
     * when that is not null, else {@code values[i]} (a pointer of the tracee's own, or 0).
     */
    record PointerArray(long[] values, byte[][] pointed) {
    }

    static byte[] cString(String text) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(utf8, utf8.length + 1);
    }
}
