package org.umview.cli;

import java.util.List;

/** What {@code umview --help} prints, laid out as GNU programs do (help2man makes umview(1) of it). */
final class Help {
    private static final int WIDTH = 80;
    private static final int DESCRIPTION_COLUMN = 30;

    private Help() {
    }

    static String text(List<Option> options) {
        StringBuilder out = new StringBuilder();
        out.append("Usage: umview [OPTION]... [--] [COMMAND [ARG]...]\n");
        wrap(out, "", "Runs COMMAND (default: $SHELL, else /bin/sh) in a new view: a partial virtual machine whose "
                + "system calls loadable modules may redefine. Options end at COMMAND: those after it are its own.");
        out.append("\nOptions:\n");
        for (Option option : options) {
            String names = "  " + option.synopsis();
            if (names.length() > DESCRIPTION_COLUMN - 2) {
                out.append(names).append('\n');
                names = "";
            }
            wrap(out, String.format("%-" + DESCRIPTION_COLUMN + "s", names), option.description());
        }
        out.append("\nExit status:\n");
        for (String[] status : new String[][] {
            {"N", "COMMAND's own exit status"},
            {"128+N", "COMMAND was killed by signal N"},
            {"125", "umview itself failed (bad option, unknown module, cannot trace)"},
            {"126", "COMMAND was found but cannot be executed"},
            {"127", "COMMAND was not found"}}) {
            out.append(String.format("  %-8s%s%n", status[0], status[1]));
        }
        return out.toString();
    }

    /* The first line after `first`, the others indented as far, none past WIDTH. */
    private static void wrap(StringBuilder out, String first, String text) {
        String indent = " ".repeat(first.length());
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
                empty = true;
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        out.append(line).append('\n');
    }
}
