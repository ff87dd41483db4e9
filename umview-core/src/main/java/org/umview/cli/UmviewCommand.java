package org.umview.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options of the {@code umview} command (SPEC §3), as its command line sets them. */
final class UmviewCommand {
    /** In the order --help lists them. */
    static final List<Option> OPTIONS = List.of(
        Option.valued('p', "preload", "MODULE[,OPTIONS]", "Load a module before COMMAND starts (repeatable).",
                (c, v) -> c.preload.add(v)),
        Option.valued('f', "rc", "FILE",
                "Run FILE (a shell script) inside the view before COMMAND; default ~/.umviewrc if it exists.",
                (c, v) -> c.rcFile = Path.of(v)),
        Option.valued('\0', "hide", "PATH", "Sandbox: PATH does not exist in the view (viewfs hide; repeatable).",
                (c, v) -> c.hide.add(Path.of(v))),
        Option.valued('\0', "ro", "PATH", "Sandbox: PATH is read-only in the view (viewfs ro; repeatable).",
                (c, v) -> c.readOnly.add(Path.of(v))),
        Option.valued('\0', "cow", "PATH[=LAYER]", "Sandbox: changes under PATH go to a copy-on-write layer, "
                + "directory LAYER or a private one dropped when the view ends; PATH never changes (viewfs cow; repeatable).",
                (c, v) -> c.cow.add(v)),
        Option.valued('\0', "sandbox", "FILE", "Sandbox profile: lines 'hide PATH', 'ro PATH', 'cow PATH [LAYER]', "
                + "applied in order, and 'net none'.", (c, v) -> c.sandboxFile = Path.of(v)),
        Option.valued('\0', "net", "none|current|STACK", "The view's network: none (its own loopback only, nothing "
                + "reaches the host's network), current (the host's), or STACK, a stack the rc file mounts "
                + "(mount -t umnetXXX none /dev/net/NAME).", (c, v) -> c.net = v),
        Option.valued('V', "viewname", "NAME", "Name the view.", (c, v) -> c.viewName = v),
        Option.flag('x', "nonesting", "No nesting: programs serving mounts (FUSE programs) see the host, "
                + "not the view's other mounts.", (c, v) -> c.noNesting = true),
        Option.valued('o', "output", "FILE", "Write umview's own log to FILE instead of stderr.",
                (c, v) -> c.output = Path.of(v)),
        Option.flag('v', "verbose", "More of umview's own output (repeat for more).", (c, v) -> c.verbosity++),
        Option.flag('q', "quiet", "Less of umview's own output: errors only.", (c, v) -> c.quiet = true),
        new Option('\0', "trace", "FILE", true, "Log each virtualized call (process, call, arguments, result, "
                + "who decided it) to FILE, default the log output.", (c, v) -> c.trace = v),
        Option.flag('h', "help", "Show this help and exit.", (c, v) -> c.help = true),
        Option.flag('\0', "version", "Show the version and exit.", (c, v) -> c.version = true));

    final List<String> preload = new ArrayList<>();
    Path rcFile;
    final List<Path> hide = new ArrayList<>();
    final List<Path> readOnly = new ArrayList<>();
    final List<String> cow = new ArrayList<>();
    Path sandboxFile;
    String net;
    String viewName;
    boolean noNesting;
    Path output;
    int verbosity;
    boolean quiet;
    /** The --trace file, "" for the log output, null without --trace. */
    String trace;
    boolean help;
    boolean version;
    final List<String> command = new ArrayList<>();

    /** A command line umview cannot take: what is wrong with it, for the user. */
    static final class BadUsage extends Exception {
        BadUsage(String message) {
            super(message);
        }
    }

    /**
     * Options end at the first word that is not one (or at "--"): the rest is the command and
     * its own arguments. Short options cluster ({@code -vx}) and take a value attached
     * ({@code -pumfuse}) or as the next word; long ones as {@code --rc=FILE} or {@code --rc FILE}.
     */
    static UmviewCommand parse(String[] args) throws BadUsage {
        UmviewCommand parsed = new UmviewCommand();
        int i = 0;
        for (; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                break;
            }
            if (arg.startsWith("--")) {
                int equals = arg.indexOf('=');
                Option option = named(arg.substring(2, equals < 0 ? arg.length() : equals), arg);
                String value = equals < 0 ? null : arg.substring(equals + 1);
                if (value != null && !option.takesValue()) {
                    throw new BadUsage("option '--" + option.longName() + "' takes no value");
                }
                if (value == null && option.takesValue()) {
                    value = option.valueOptional() ? "" : valueAfter(args, ++i, option);
                }
                option.set().accept(parsed, value);
                continue;
            }
            for (int at = 1; at < arg.length(); at++) {
                Option option = lettered(arg.charAt(at));
                if (!option.takesValue()) {
                    option.set().accept(parsed, null);
                    continue;
                }
                String attached = arg.substring(at + 1);
                option.set().accept(parsed, !attached.isEmpty() ? attached.replaceFirst("^=", "")
                        : valueAfter(args, ++i, option));
                break;
            }
        }
        parsed.command.addAll(List.of(args).subList(i, args.length));
        return parsed;
    }

    private static Option named(String name, String arg) throws BadUsage {
        for (Option option : OPTIONS) {
            if (option.longName().equals(name)) {
                return option;
            }
        }
        throw new BadUsage("unknown option '" + arg + "'");
    }

    private static Option lettered(char letter) throws BadUsage {
        for (Option option : OPTIONS) {
            if (option.shortName() == letter) {
                return option;
            }
        }
        throw new BadUsage("unknown option '-" + letter + "'");
    }

    private static String valueAfter(String[] args, int i, Option option) throws BadUsage {
        if (i >= args.length) {
            throw new BadUsage("option '--" + option.longName() + "' needs a value: " + option.label());
        }
        return args[i];
    }

    /** The command line of the view's first process, the rc file included; {@code stack}: --net STACK, or null. */
    List<String> viewCommand(String stack) {
        List<String> argv = new ArrayList<>(command);
        if (argv.isEmpty()) {
            String shell = System.getenv("SHELL");
            argv.add(shell != null && !shell.isEmpty() ? shell : "/bin/sh");
        }
        if (stack != null) {
            argv.addAll(0, List.of("mstack", stack)); // after the rc file, which mounts it
        }
        Path rc = rcFile != null ? rcFile : defaultRcFile();
        if (rc == null) {
            return argv;
        }
        // The rc file runs in the view as its own shell, then the command replaces that shell.
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c",
                "/bin/sh \"$0\" || { echo \"umview: $0 failed\" >&2; exit 125; }; exec \"$@\"", rc.toString()));
        wrapped.addAll(argv);
        return wrapped;
    }

    private static Path defaultRcFile() {
        String home = System.getProperty("user.home");
        Path rc = home == null ? null : Path.of(home, ".umviewrc");
        return rc != null && Files.isRegularFile(rc) ? rc : null;
    }
}
