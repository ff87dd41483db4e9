package org.umview.module;

/**
 * A mounted file system that also tells exec which interpreter runs a file (binfmt_misc):
 * exec of a file it matches runs {@code interpreter}. The newest such mount a process sees
 * is asked first.
 */
public interface Interpreters {
    /** What runs a file: the interpreter's host path, and whether the original argv[0] is kept (flag P). */
    record Interpreter(String path, boolean preserveArgv0) {
    }

    /**
     * The interpreter for the file at {@code path} (as exec was given it) whose first bytes
     * are {@code head}, or null if no entry matches.
     */
    Interpreter interpreterFor(String path, byte[] head);
}
