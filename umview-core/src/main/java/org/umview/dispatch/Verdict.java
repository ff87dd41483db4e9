package org.umview.dispatch;

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

    record Continue() implements Verdict {
    }

    record Result(long value) implements Verdict {
    }
}
