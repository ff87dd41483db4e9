package org.umview.syscall;

/** What a system call argument is, as far as decoding, tracing and dispatch care. */
public enum ArgKind {
    FD, DIRFD, PATH, STR, IN, OUT, INOUT, PTR, INT, SIZE, OFF, HEX, OFLAGS, ATFLAGS, MODE, PID, SIG, UID;

    static ArgKind parse(String word) {
        return valueOf(word.toUpperCase(java.util.Locale.ROOT));
    }

    /** A pointer to a NUL-terminated string, printable in a trace. */
    public boolean isString() {
        return this == PATH || this == STR;
    }
}
