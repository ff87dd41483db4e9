package org.umview.cli;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.calllog.CallLog;
import org.umview.dispatch.ExecutableCopies;
import org.umview.dispatch.ViewDispatcher;
import org.umview.launch.Installation;
import org.umview.launch.ShimLauncher;
import org.umview.launch.Terminal;
import org.umview.memory.TraceeMemory;
import org.umview.module.ModuleCatalog;
import org.umview.module.ModuleException;
import org.umview.syscall.Architecture;
import org.umview.trace.Tracer;
import org.umview.trace.ViewOutcome;
import org.umview.view.View;

/** {@code umview}: parses the command line, runs the view, exits with its status. */
public final class Main {
    static final int EXIT_FAILURE = 125;
    private static final long TERMINATION_GRACE_SECONDS = 5;
    /** Where --net none puts the stack it makes every process's default: mstack can name it too. */
    private static final String NO_NETWORK = "/dev/net/none";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        bindInBackground();
        UmviewCommand options;
        try {
            options = UmviewCommand.parse(args);
        } catch (UmviewCommand.BadUsage e) {
            System.err.println("umview: " + e.getMessage());
            System.err.println("Try 'umview --help' for more information.");
            return EXIT_FAILURE;
        }
        if (options.help) {
            System.out.print(Help.text(UmviewCommand.OPTIONS));
            return 0;
        }
        if (options.version) {
            System.out.print(Version.text());
            return 0;
        }
        Logging.configure(options);
        Logger log = LoggerFactory.getLogger(Main.class);
        try {
            return runView(options, log);
        } catch (RuntimeException e) {
            log.error("{}", e.getMessage(), e.getCause() != null ? e : null);
            System.err.println("umview: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }

    /**
     * Generating the libc bindings (jnr-ffi writes their classes at run time) is most of
     * umview's start-up: another thread does it while this one parses the command line and
     * loads modules. A failure is left for the first real use to report.
     */
    private static void bindInBackground() {
        Thread binder = new Thread(() -> {
            try {
                org.umview.libc.Native.libc();
                org.umview.libc.Native.processControl();
            } catch (RuntimeException | LinkageError e) {
                // reported where the bindings are first needed
            }
        }, "umview-bindings");
        binder.setDaemon(true);
        binder.start();
    }

    private static int runView(UmviewCommand options, Logger log) {
        View view = new View(ModuleCatalog.discover(System.getenv("UMVIEW_MODULE_PATH")), options.viewName);
        if (options.noNesting) {
            view.disableNesting();
        }
        for (String preload : options.preload) {
            String module = preload.split(",", 2)[0];
            try {
                view.load(module);
            } catch (ModuleException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        SandboxProfile profile = SandboxProfile.of(options);
        try {
            for (SandboxProfile.Narrowing narrowing : profile.narrowings()) {
                String target = canonical(narrowing.path());
                String source = narrowing.mode().equals("hide") ? "none" : target;
                view.mountAtStart("viewfs", source, target, narrowing.options());
            }
            if ("none".equals(profile.net())) {
                view.setDefaultStack(view.mountAtStart("umnetnull", "none", NO_NETWORK, ""));
            }
        } catch (ModuleException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        String stack = profile.net() == null || profile.net().equals("none") || profile.net().equals("current") ? null
                : profile.net();
        Installation installation = Installation.fromSystemProperty();
        installation.verify();
        Architecture arch = Architecture.host();
        TraceeMemory memory = new TraceeMemory();
        ExecutableCopies executables = new ExecutableCopies();
        Tracer tracer = new Tracer(arch, control -> new ViewDispatcher(view, arch.syscalls(), memory, executables, control),
                new ShimLauncher(installation), callLog(options, memory));
        Terminal terminal = Terminal.current();
        List<String> command = options.viewCommand(stack);

        AtomicReference<ViewOutcome> outcome = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread tracerThread = new Thread(() -> {
            try {
                outcome.set(tracer.run(command));
            } catch (RuntimeException e) {
                failure.set(e);
            } catch (Error e) {
                // Said as what it is (the view ends, its processes killed with the tracer), not as an outcome missing.
                failure.set(new IllegalStateException("internal error on the tracer thread: " + e, e));
            }
        }, "umview-tracer");
        tracerThread.setDaemon(true);
        Thread shutdown = new Thread(() -> tracer.terminate(TERMINATION_GRACE_SECONDS, TimeUnit.SECONDS),
                "umview-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        tracerThread.start();
        join(tracerThread);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdown);
        } catch (IllegalStateException e) {
            // a SIGTERM began the JVM's shutdown, and the hook ended the view: there is no hook to take back
        }
        terminal.restore();
        executables.close();
        if (failure.get() != null) {
            throw failure.get();
        }
        ViewOutcome result = outcome.get();
        log.debug("view ended: exit status {}", result.exitCode());
        return result.exitCode();
    }

    /* As the view would resolve it: symlinks followed where the path exists on the host. */
    private static String canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath().toString();
        } catch (java.io.IOException e) {
            return absolute.toString();
        }
    }

    private static CallLog callLog(UmviewCommand options, TraceeMemory memory) {
        if (options.trace == null) {
            return null;
        }
        PrintStream out = System.err;
        if (!options.trace.isEmpty()) {
            try {
                out = new PrintStream(new FileOutputStream(options.trace, true), true);
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("cannot write the trace to " + options.trace + ": " + e.getMessage());
            }
        } else if (options.output != null) {
            out = Logging.output();
        }
        return new CallLog(out, memory);
    }

    private static void join(Thread thread) {
        while (true) {
            try {
                thread.join();
                return;
            } catch (InterruptedException e) {
                // keep waiting: the view decides when umview ends
            }
        }
    }
}
