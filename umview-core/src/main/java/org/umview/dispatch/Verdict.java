package org.umview.dispatch;

import java.util.List;

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
        return new Rewrite(List.copyOf(changes));
    }

    record Continue() implements Verdict {
    }

    record Result(long value) implements Verdict {
    }

    record Rewrite(List<ArgumentChange> changes) implements Verdict {
        /** Bytes the changes place in the tracee's scratch memory. */
        public int scratchBytes() {
            return changes.stream().mapToInt(c -> c.data() == null ? 0 : c.data().length).sum();
        }
    }

    /**
     * Argument {@code index} becomes {@code value}, or, when {@code data} is given, the
     * address of a copy of {@code data} in the tracee's memory.
     */
    record ArgumentChange(int index, long value, byte[] data) {
        public static ArgumentChange value(int index, long value) {
            return new ArgumentChange(index, value, null);
        }

        public static ArgumentChange string(int index, String text) {
            byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return new ArgumentChange(index, 0, java.util.Arrays.copyOf(utf8, utf8.length + 1));
        }
    }
}
