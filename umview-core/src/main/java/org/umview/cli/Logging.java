package org.umview.cli;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;

/** Sets up slf4j-simple from the command line before the first logger is made. */
final class Logging {
    private static PrintStream output = System.err;

    private Logging() {
    }

    static void configure(UmviewCommand options) {
        String level = options.quiet ? "error" : switch (options.verbosity) {
            case 0 -> "warn";
            case 1 -> "info";
            case 2 -> "debug";
            default -> "trace";
        };
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        if (options.output != null) {
            try {
                output = new PrintStream(new FileOutputStream(options.output.toFile(), true), true);
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("cannot write the log to " + options.output + ": " + e.getMessage());
            }
            System.setProperty("org.slf4j.simpleLogger.logFile", options.output.toString());
        }
    }

    /** Where umview's own output goes: the -o file, or stderr. */
    static PrintStream output() {
        return output;
    }
}
