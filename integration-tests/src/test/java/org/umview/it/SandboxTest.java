package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * umview --hide/--ro, and a hostile program (programs/escapes.c) trying every way around
 * them; each attempt must be refused, and the host must be as it was.
 */
class SandboxTest {
    private final Sandbox sandbox = Sandbox.get();

    private Path world() {
        Path dir = sandbox.work.resolve("sandbox-" + System.nanoTime());
        host("mkdir -p " + dir + "/home/secret " + dir + "/etc && echo key > " + dir + "/home/secret/key && echo pub > "
                + dir + "/home/public && echo conf > " + dir + "/etc/conf");
        return dir;
    }

    private Commands.Result host(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", script)).assertSuccess(script);
    }

    @Test
    void hostileProgramFindsNoWayOut() throws Exception {
        Path dir = world();
        Path escapes = sandbox.compile("escapes");
        List<String> sleeper = sandbox.asUser(List.of("sleep", "60"));
        Process outside = new ProcessBuilder(sleeper).directory(dir.resolve("home/secret").toFile()).start();
        try {
            Commands.Result natively = sandbox.nativeRun(List.of(escapes.toString(), dir + "/home/secret/key", dir + "/home",
                    Long.toString(outside.pid())));
            assertTrue(natively.stdout().contains("ESCAPED open"), "the program must work outside a view: " + natively);
            Commands.Result result = sandbox.umview("--hide", dir + "/home/secret", "bash", "-c", escapes + " " + dir
                    + "/home/secret/key " + dir + "/home " + outside.pid() + "; cat /proc/" + outside.pid() + "/cwd/key;"
                    + " ln -s " + dir + "/home/secret " + dir + "/link; cat " + dir + "/link/key; ln " + dir + "/home/secret/key "
                    + dir + "/hard; mount -t viewfs " + dir + "/home " + dir + "/alias && cat " + dir + "/alias/secret/key;"
                    + " cat " + dir + "/home/public");
            assertFalse(result.stdout().contains("ESCAPED"), result.toString());
            assertEquals(9, result.stdout().split("refused", -1).length - 1, result.toString());
            assertTrue(result.stdout().endsWith("pub\n"), "what is not hidden stays: " + result);
            assertEquals(4, result.stderr().split("No such file or directory", -1).length - 1, result.toString());
        } finally {
            outside.destroy();
        }
        host("rm -f " + dir + "/link");
        assertEquals("key\n", host("cat " + dir + "/home/secret/key").stdout());
        assertEquals("", host("ls " + dir + " | grep -E 'hard|alias' || true").stdout());
    }

    /**
     * Issue 11: a new user namespace would make the caller root over mounts the supervisor never
     * sees. Natively each attempt of namespace_escapes.sh reads (or writes) the file; under
     * --hide, --ro and --cow every one is refused, the file never read and never written.
     */
    @Test
    void namespacesAndRealMountsAreRefusedInANarrowedView() throws Exception {
        assertEquals(0, sandbox.nativeRun(List.of("unshare", "-Urm", "true")).exitCode(),
                "this test needs a host where an ordinary user may make user namespaces (unshare -Urm true)");
        Path dir = world();
        String script = sandbox.resource("namespace_escapes.sh").toString();
        sandbox.resource("seccomp_listener.py");
        String file = dir + "/home/secret/key";
        Process outside = new ProcessBuilder(sandbox.asUser(List.of("unshare", "-Urm", "sleep", "60"))).start();
        try {
            Thread.sleep(300); // its namespaces are made before it sleeps
            String pid = Long.toString(outside.pid());
            String natively = host("bash " + script + " read " + file + " " + dir + "/n " + pid + " key").stdout();
            assertEquals(8, natively.split("ESCAPED", -1).length - 1, "each attempt must work outside a view: " + natively);
            // A listener of the program's own outranks ptrace: with the path calls on ptrace only, the view refuses it.
            for (String option : List.of("--hide", "--ro", "--cow", "--hide ptrace")) {
                String mode = option.startsWith("--hide") ? "read key" : "write";
                String[] parts = mode.split(" ");
                String flag = option.split(" ")[0];
                Commands.Result result = sandbox.umviewIntercepting(option.endsWith("ptrace") ? "ptrace" : "auto", List.of(flag,
                        dir + "/home/secret", "bash", script, parts[0], file, dir + "/v" + option.replace(" ", "-").substring(2), pid,
                        parts.length > 1 ? parts[1] : "done"));
                assertFalse(result.stdout().contains("ESCAPED"), option + ": " + result);
                assertEquals(8, result.stdout().split("refused", -1).length - 1, option + ": " + result);
                // One warning per call refused, the first time: unshare, clone and clone3 here (setns after the first unshare).
                assertEquals(1, result.stderr().split("unshare refused \\(EPERM\\)", -1).length - 1, option + ": " + result);
                assertEquals("key\n", host("cat " + file).stdout(), option + ": the file was written");
            }
        } finally {
            outside.destroy();
        }
    }

    /**
     * Without modules a view is transparent: namespaces work. Where a module serves paths, a
     * mount namespace of its own would be resolved wrongly, so only it is refused.
     */
    @Test
    void namespacesInViewsThatNarrowNothing() {
        assertEquals(0, sandbox.nativeRun(List.of("unshare", "-Urm", "true")).exitCode(),
                "this test needs a host where an ordinary user may make user namespaces (unshare -Urm true)");
        Commands.Result empty = sandbox.umview("bash", "-c", "unshare -Ur true && unshare -Urm true && echo both");
        assertEquals("both\n", empty.assertSuccess("namespaces in an empty view").stdout());
        Commands.Result served = sandbox.umview(List.of("-p", "unreal", "/usr/bin/python3", sandbox.resource("mount_then.py").toString(),
                "unreal", "none", "/unreal", "--", "bash", "-c",
                "unshare -Ur true && echo user; unshare -Urm true 2>/dev/null || echo mount refused; unshare -m true 2>/dev/null || echo no root"));
        assertEquals("user\nmount refused\nno root\n", served.assertSuccess("namespaces with a path module").stdout());
    }

    @Test
    void readOnlyOptionKeepsTheHostAsItWas() {
        Path dir = world();
        Commands.Result result = sandbox.umview("--ro", dir + "/etc", "--hide", dir + "/home/secret", "bash", "-c",
                "cat " + dir + "/etc/conf; echo x > " + dir + "/etc/conf; rm " + dir + "/etc/conf; ls " + dir + "/home");
        assertEquals("conf\npublic\n", result.stdout(), result.toString());
        assertEquals(2, result.stderr().split("Read-only file system", -1).length - 1, result.toString());
        assertEquals("conf\n", host("cat " + dir + "/etc/conf").stdout());
    }

    @Test
    void withoutNarrowingNothingIsRefused() {
        Path escapes = sandbox.compile("escapes");
        Path dir = world();
        Commands.Result result = sandbox.umview(escapes.toString(), dir + "/home/secret/key", dir + "/home", "1");
        assertTrue(result.stdout().contains("ESCAPED open\n"), result.toString());
        assertTrue(result.stdout().contains("ESCAPED name_to_handle_at"), result.toString());
    }

    @Test
    void profileHidesTheHomeKeepsEtcAndLetsTmpBeChangedOnlyInTheView() {
        Path dir = world();
        host("mkdir " + dir + "/tmp && echo old > " + dir + "/tmp/kept && printf '# one line each\\nhide " + dir
                + "/home/secret  # keys\\nro " + dir + "/etc\\ncow " + dir + "/tmp\\n' > " + dir + "/profile");
        Commands.Result result = sandbox.umview("--sandbox", dir + "/profile", "bash", "-c", "cd " + dir + " && ls home;"
                + " echo x > etc/conf; echo new > tmp/made; echo changed > tmp/kept; rm tmp/made; echo again > tmp/made;"
                + " mkdir tmp/d && python3 -c \"open('tmp/d/p','w').write('py')\" && cat tmp/kept tmp/made tmp/d/p;"
                + " ls tmp | tr '\\n' ' '");
        assertEquals("public\nchanged\nagain\npyd kept made ", result.stdout(), result.toString());
        assertTrue(result.stderr().contains("Read-only file system"), result.toString());
        assertEquals("conf\nold\nkept\n", host("cat " + dir + "/etc/conf " + dir + "/tmp/kept; ls " + dir + "/tmp").stdout(),
                "the host changed");
    }

    @Test
    void privateLayersAreInNoView() {
        Path dir = world();
        host("mkdir " + dir + "/tmp && echo old > " + dir + "/tmp/kept");
        Commands.Result result = sandbox.umview("--cow", "/tmp", "--cow", dir + "/tmp", "bash", "-c",
                "echo new > " + dir + "/tmp/kept; cat " + dir + "/tmp/kept; ls -a /tmp | grep -c -E 'umview-(layers|cow)'");
        assertEquals("new\n0\n", result.stdout(), result.toString());
        assertEquals("old\n", host("cat " + dir + "/tmp/kept").stdout(), "the host changed");
    }

    @Test
    void badProfileLineIsNamedAndNothingRuns() {
        Path dir = world();
        host("printf 'ro /etc\\nnetwork none\\n' > " + dir + "/profile");
        Commands.Result result = sandbox.umview("--sandbox", dir + "/profile", "touch", dir + "/ran");
        assertEquals(125, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(dir + "/profile:2: unknown directive network"), result.toString());
        assertEquals("", host("ls " + dir + " | grep ran || true").stdout());
    }
}
