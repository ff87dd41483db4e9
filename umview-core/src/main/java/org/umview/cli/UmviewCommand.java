package org.umview.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of the {@code umview} command (SPEC §3). */
@Command(name = "umview", versionProvider = Version.class,
        usageHelpAutoWidth = true,
        description = "Runs COMMAND (default: $SHELL, else /bin/sh) in a new view: a partial virtual machine "
                + "whose system calls loadable modules may redefine.%n",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "N:COMMAND's own exit status",
            "128+N:COMMAND was killed by signal N",
            "125:umview itself failed (bad option, unknown module, cannot trace)",
            "126:COMMAND was found but cannot be executed",
            "127:COMMAND was not found"})
final class UmviewCommand {
    @Option(names = {"-p", "--preload"}, paramLabel = "MODULE[,OPTIONS]", completionCandidates = ModuleNames.class,
            description = "Load a module before COMMAND starts (repeatable).")
    List<String> preload = new ArrayList<>();

    @Option(names = {"-f", "--rc"}, paramLabel = "FILE",
            description = "Run FILE (a shell script) inside the view before COMMAND; default ~/.umviewrc if it exists.")
    Path rcFile;

    @Option(names = "--hide", paramLabel = "PATH",
            description = "Sandbox: PATH does not exist in the view (viewfs hide; repeatable).")
    List<Path> hide = new ArrayList<>();

    @Option(names = "--ro", paramLabel = "PATH",
            description = "Sandbox: PATH is read-only in the view (viewfs ro; repeatable).")
    List<Path> readOnly = new ArrayList<>();

    @Option(names = "--cow", paramLabel = "PATH[=LAYER]",
            description = "Sandbox: changes under PATH go to a copy-on-write layer, directory LAYER or a private one "
                    + "dropped when the view ends; PATH never changes (viewfs cow; repeatable).")
    List<String> cow = new ArrayList<>();

    @Option(names = "--sandbox", paramLabel = "FILE",
            description = "Sandbox profile: lines 'hide PATH', 'ro PATH', 'cow PATH [LAYER]', applied in order, "
                    + "and 'net none'.")
    Path sandboxFile;

    @Option(names = "--net", paramLabel = "none|current|STACK",
            description = "The view's network: none (its own loopback only, nothing reaches the host's network), "
                    + "current (the host's), or STACK, a stack the rc file mounts (mount -t umnetXXX none /dev/net/NAME).")
    String net;

    @Option(names = {"-V", "--viewname"}, paramLabel = "NAME", description = "Name the view.")
    String viewName;

    @Option(names = {"-x", "--nonesting"}, description = "No nesting: programs serving mounts (FUSE programs) see the host, not the view's other mounts.")
    boolean noNesting;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write umview's own log to FILE instead of stderr.")
    Path output;

    @Option(names = {"-v", "--verbose"}, description = "More of umview's own output (repeat for more).")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Less of umview's own output: errors only.")
    boolean quiet;

    @Option(names = "--trace", arity = "0..1", paramLabel = "FILE", fallbackValue = "",
            description = "Log each virtualized call (process, call, arguments, result, who decided it) to FILE, "
                    + "default the log output.")
    String trace;

    /* Not picocli's standard help mixin: its -V would clash with --viewname. */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Show the version and exit.")
    boolean version;

    @Parameters(arity = "0..*", paramLabel = "COMMAND [ARG...]", description = "The command to run in the view.")
    List<String> command = new ArrayList<>();

    /** The modules umview finds (the built-in ones and UMVIEW_MODULE_PATH's), for shell completion of -p. */
    static final class ModuleNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return new java.util.TreeSet<>(org.umview.module.ModuleCatalog.discover(System.getenv("UMVIEW_MODULE_PATH")).names())
                    .iterator();
        }
    }

    private static final Set<String> OPTIONS_WITH_VALUE = Set.of(
            "-p", "--preload", "-f", "--rc", "-V", "--viewname", "-o", "--output", "--net");

    /**
     * A bare {@code --trace} takes no value: in {@code umview --trace ls} "ls" is the command.
     * picocli would take it as the file, so the bare form becomes {@code --trace=}.
     */
    static String[] attachOptionalValues(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            String arg = out[i];
            if (arg.equals("--") || !arg.startsWith("-")) {
                break;
            }
            if (arg.equals("--trace")) {
                out[i] = "--trace=";
            } else if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            }
        }
        return out;
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
