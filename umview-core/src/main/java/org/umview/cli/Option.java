package org.umview.cli;

import java.util.function.BiConsumer;

/**
 * One option of the {@code umview} command line: its names, whether it takes a value, what
 * {@code --help} says of it, and what it sets.
 *
 * @param shortName its one-letter name, or 0
 * @param longName its name after "--"
 * @param label the value's name in the help ({@code FILE}), null for a flag
 * @param valueOptional the value may be left out ({@code --trace}): then it is "", and it is
 *        only ever attached ({@code --trace=FILE}), so that in {@code --trace ls} "ls" is the command
 * @param description what {@code --help} says
 * @param set stores a value (null for a flag) in the command being parsed
 */
record Option(char shortName, String longName, String label, boolean valueOptional, String description,
        BiConsumer<UmviewCommand, String> set) {

    static Option flag(char shortName, String longName, String description, BiConsumer<UmviewCommand, String> set) {
        return new Option(shortName, longName, null, false, description, set);
    }

    static Option valued(char shortName, String longName, String label, String description,
            BiConsumer<UmviewCommand, String> set) {
        return new Option(shortName, longName, label, false, description, set);
    }

    boolean takesValue() {
        return label != null;
    }

    /** As the help and the error messages name it: {@code -p, --preload=MODULE[,OPTIONS]}. */
    String synopsis() {
        String names = (shortName != 0 ? "-" + shortName + ", " : "    ") + "--" + longName;
        if (!takesValue()) {
            return names;
        }
        return valueOptional ? names + "[=" + label + "]" : names + "=" + label;
    }
}
