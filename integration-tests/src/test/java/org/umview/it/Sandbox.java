package org.umview.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The place the tests run from: a world-readable copy of the built umview and of the test
 * programs, and the ordinary user that runs them. When the tests run as root (as in CI) an
 * ordinary user is created, because umview must work with no privilege at all.
 */
final class Sandbox {
    static final String TEST_USER = "umtest";
    private static Sandbox instance;

    final Path root;
    final Path umview;
    final Path work;
    private final boolean asRoot;

    private Sandbox(Path root, boolean asRoot) {
        this.root = root;
        this.umview = root.resolve("bin/umview");
        this.work = root.resolve("work");
        this.asRoot = asRoot;
    }

    /** Fails, naming the missing tool and where it comes from, unless every one of {@code tools} is on PATH (sbin too). */
    static void require(String packages, String... tools) {
        for (String tool : tools) {
            if (Commands.run(java.util.List.of("bash", "-c", "PATH=$PATH:/usr/sbin:/sbin; command -v " + tool)).exitCode() != 0) {
                org.junit.jupiter.api.Assertions.fail(tool + " is not installed (Debian packages: " + packages
                        + "); ./test installs them when run as root");
            }
        }
    }

    static synchronized Sandbox get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static Sandbox create() {
        try {
            Path source = Path.of(System.getProperty("umview.source", "..")).toAbsolutePath().normalize();
            boolean asRoot = "root".equals(System.getProperty("user.name"));
            Path root = Files.createTempDirectory(Path.of("/tmp"), "umview-it-");
            copy(source.resolve("bin/umview"), root.resolve("bin/umview"));
            copy(source.resolve("native-shim/target/umview-shim"), root.resolve("native-shim/target/umview-shim"));
            copy(source.resolve("umview-core/target/umview-core.jar"), root.resolve("umview-core/target/umview-core.jar"));
            try (Stream<Path> jars = Files.list(source.resolve("umview-core/target/lib"))) {
                for (Path jar : jars.toList()) {
                    copy(jar, root.resolve("umview-core/target/lib").resolve(jar.getFileName()));
                }
            }
            try (Stream<Path> modules = Files.list(source.resolve("modules"))) {
                for (Path module : modules.filter(Files::isDirectory).toList()) {
                    Path jar = module.resolve("target/umview-" + module.getFileName() + ".jar");
                    copy(jar, root.resolve("modules").resolve(module.getFileName()).resolve("target").resolve(jar.getFileName()));
                }
                // umnet's helper, the process that owns an LWIPv6 stack
                Path helper = source.resolve("modules/umnet/target/umnet-lwip");
                copy(helper, root.resolve("modules/umnet/target/umnet-lwip"));
            }
            try (Stream<Path> tools = Files.list(source.resolve("um-tools/target/bin"))) {
                for (Path tool : tools.toList()) {
                    Path target = root.resolve("um-tools/target/bin").resolve(tool.getFileName());
                    Files.createDirectories(target.getParent());
                    Files.copy(tool, target, StandardCopyOption.REPLACE_EXISTING, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
            Sandbox sandbox = new Sandbox(root, asRoot);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root), "sandbox-cleanup"));
            Files.createDirectories(sandbox.work);
            sandbox.openUp(root);
            if (asRoot) {
                Commands.run(List.of("sh", "-c", "id -u " + TEST_USER + " >/dev/null 2>&1 || useradd -m -s /bin/bash "
                        + TEST_USER)).assertSuccess("creating the test user");
                Commands.run(List.of("chown", "-R", TEST_USER + ":" + TEST_USER, sandbox.work.toString()))
                        .assertSuccess("chown of the work directory");
            }
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles a C program of the test resources into the sandbox and returns its path. */
    Path compile(String name) {
        return compile(name, name, "-O2");
    }

    /** The same for a debugger: with debugging information, unoptimized. */
    Path compileForDebugging(String name) {
        return compile(name, name + "-g", "-g", "-O0");
    }

    private Path compile(String name, String binaryName, String... flags) {
        Path binary = root.resolve("programs").resolve(binaryName);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Path source = resource(name + ".c");
        List<String> gcc = new ArrayList<>(List.of("gcc"));
        gcc.addAll(List.of(flags));
        gcc.addAll(List.of("-pthread", "-o", binary.toString(), source.toString()));
        Commands.run(gcc).assertSuccess("gcc " + name);
        return binary;
    }

    /** A file of the test resources, copied into the sandbox where the test user can read it. */
    Path resource(String name) {
        Path target = root.resolve("programs").resolve(name);
        if (Files.exists(target)) {
            return target;
        }
        try (InputStream in = Sandbox.class.getResourceAsStream("/programs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource programs/" + name);
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            openUp(target.getParent());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code command} as the ordinary test user, in the work directory. */
    List<String> asUser(List<String> command) {
        List<String> argv = new ArrayList<>();
        if (asRoot) {
            argv.addAll(List.of("setpriv", "--reuid=" + TEST_USER, "--regid=" + TEST_USER, "--init-groups",
                    "env", "HOME=/home/" + TEST_USER, "USER=" + TEST_USER, "LOGNAME=" + TEST_USER));
        }
        argv.addAll(command);
        return argv;
    }

    /** {@code command} run natively as the test user. */
    Commands.Result nativeRun(List<String> command) {
        return Commands.run(asUser(command), work);
    }

    /** {@code umview ARGS...} run as the test user. */
    Commands.Result umview(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(umview.toString());
        argv.addAll(args);
        return Commands.run(asUser(argv), work);
    }

    /** The umview command of the sandbox, for a script that runs it itself. */
    String umviewCommand() {
        return umview.toString();
    }

    Commands.Result umview(String... args) {
        return umview(List.of(args));
    }

    /**
     * {@code umview ARGS...} with the path calls reaching the supervisor as {@code intercept}
     * says: "notify" (seccomp user notification, the default on Linux 6.6 and later) or "ptrace".
     */
    Commands.Result umviewIntercepting(String intercept, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("env", "UMVIEW_INTERCEPT=" + intercept, umview.toString()));
        argv.addAll(args);
        return Commands.run(asUser(argv), work);
    }

    private void openUp(Path path) throws IOException {
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.toList()) {
                boolean executable = Files.isDirectory(p) || Files.isExecutable(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        for (Path p = path; p != null && p.startsWith(root); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /* Best effort: what the test user left behind goes with the sandbox. */
    private static void delete(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // leftovers in /tmp harm nothing
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            throw new IllegalStateException(from + " is missing: build umview first (mvn package)");
        }
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }
}
