package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each script prints the same and exits the same inside a view as outside it. */
class TransparencyTest {
    private final Sandbox sandbox = Sandbox.get();

    /** Scripts of every kind a view must run as the host does: pipes, jobs, signals, traps, /proc/self, descriptors. */
    static List<String> scripts() {
        return List.of(
            "seq 1 2000 | sort -r | head -5 | tr '\\n' ' '",
            "x=$(echo a; (echo b; echo c) | wc -l); echo \"$x\"; echo $((6 * 7))",
            "for i in 1 2 3 4; do (sleep 0.$i; echo job$i) & done; wait; echo all done",
            "(exit 3) & wait $!; echo bg status $?; false | true; echo ${PIPESTATUS[@]}",
            "trap 'echo trapped USR1' USR1; kill -USR1 $$; echo after trap",
            "yes | head -3; echo yes status ${PIPESTATUS[0]}",
            "ls -la /usr/share/common-licenses; ls /proc/self/fd | tr '\\n' ' '",
            "find /usr/include -name '*.h' | sort | head -300 | sha256sum",
            "sha256sum /usr/bin/bash /usr/bin/ls /etc/passwd",
            "sort -t: -k3 -n /etc/passwd | cut -d: -f1 | tr '\\n' ,",
            "tar cf - /usr/share/doc/bash 2>/dev/null | tar tvf - | sort | sha256sum",
            "umask; pwd; id -u; ulimit -n; readlink /proc/self/exe; cat /proc/self/comm",
            "cat <<'END' | wc -c\nsome here-document text\nacross lines\nEND",
            "python3 -c 'import os, sys; print(sys.version_info[:2] >= (3, 0), os.getcwd() == os.path.realpath(\".\"))'",
            "exec 3>out.txt; echo to fd 3 >&3; exec 3>&-; cat out.txt; rm out.txt",
            "sh -c 'sleep 10 & kill $!; wait $!; echo killed $?' 2>/dev/null"); // dash may or may not say Terminated: a race
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void scriptBehavesAsNative(String script) {
        List<String> command = List.of("bash", "-c", script);
        Commands.Result expected = sandbox.nativeRun(command);
        Commands.Result actual = sandbox.umview(command);
        assertFalse(expected.stdout().isEmpty(), "the native run printed nothing: " + expected);
        assertEquals(expected.stdout(), actual.stdout(), "stdout differs for: " + script + "\n" + actual);
        assertEquals(expected.exitCode(), actual.exitCode(), "status differs for: " + script + "\n" + actual);
        assertEquals(expected.stderr(), actual.stderr(), "stderr differs for: " + script);
    }

    /** The same under a debugger of the view: strace -f, as natively, changes nothing the scripts print. */
    @ParameterizedTest
    @MethodSource("scripts")
    void scriptBehavesAsNativeUnderStrace(String script) {
        Sandbox.require("strace", "strace");
        List<String> command = List.of("strace", "-f", "-o", "/dev/null", "bash", "-c", script);
        Commands.Result expected = sandbox.nativeRun(command);
        Commands.Result actual = sandbox.umview(command);
        assertFalse(expected.stdout().isEmpty(), "the native run printed nothing: " + expected);
        assertEquals(expected.stdout(), actual.stdout(), "stdout differs for: " + script + "\n" + actual);
        assertEquals(expected.exitCode(), actual.exitCode(), "status differs for: " + script + "\n" + actual);
        assertEquals(expected.stderr(), actual.stderr(), "stderr differs for: " + script);
    }

    /** What the caller of umview hands over (3<file, process substitution) reaches the command, as without umview. */
    @Test
    void descriptorsTheCallerHandsOverReachTheCommand() {
        java.nio.file.Path file = sandbox.work.resolve("handed-" + System.nanoTime());
        sandbox.nativeRun(List.of("bash", "-c", "echo handed over > " + file)).assertSuccess("a file to hand over");
        String script = "X bash -c 'cat <&3; ls /proc/self/fd | tr \"\\n\" \" \"; echo' 3<" + file
                + "; X cat <(echo from a substitution); X diff <(echo a) <(echo a) && echo same";
        String natively = sandbox.nativeRun(List.of("bash", "-c", script.replace("X ", ""))).assertSuccess("natively").stdout();
        String viewed = sandbox.nativeRun(List.of("bash", "-c", script.replace("X ", sandbox.umview + " ")))
                .assertSuccess("through umview").stdout();
        assertEquals("handed over\n0 1 2 3 4 \nfrom a substitution\nsame\n", natively);
        assertEquals(natively, viewed);
    }

    /**
     * A command starts with no signal blocked or ignored, as from a shell: the JVM's blocked
     * SIGQUIT and glibc's 32 and 33 (which the test JVM's own children inherit) do not reach it.
     */
    @Test
    void theCommandStartsWithEverySignalAtItsDefault() {
        Commands.Result result = sandbox.umview("grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status").assertSuccess("signals");
        assertEquals("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", result.stdout());
    }
}
