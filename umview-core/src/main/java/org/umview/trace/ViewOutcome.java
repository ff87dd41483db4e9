package org.umview.trace;

/** How the view's first process ended, in the terms a shell reports. */
public record ViewOutcome(int exitCode, int signal) {
    static ViewOutcome exited(int code) {
        return new ViewOutcome(code, 0);
    }

    static ViewOutcome killed(int signal) {
        return new ViewOutcome(128 + signal, signal);
    }
}
