package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14 (LTP prctl02, prctl06): a view runs its processes with no_new_privs set, but a
 * program is told its own value and is refused a seccomp filter before it sets it, as natively.
 */
class NoNewPrivsTest {
    private final Sandbox sandbox = Sandbox.get();

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void aProgramSeesItsOwnNoNewPrivs(String intercept) {
        String program = sandbox.compile("no_new_privs").toString();
        String natively = sandbox.nativeRun(List.of(program)).assertSuccess("natively").stdout();
        assertEquals("nnp 0\nfilter without nnp: Permission denied\nprctl filter without nnp: Permission denied\nset nnp 0\n"
                + "nnp 1\nfilter with nnp: installed\n", natively);
        assertEquals(natively, sandbox.umviewIntercepting(intercept, List.of(program)).assertSuccess("in a view").stdout());
        assertEquals(natively, sandbox.umviewIntercepting(intercept, List.of("bash", "-c", program + "; true"))
                .assertSuccess("inherited through bash").stdout());
        assertEquals(natively, sandbox.umviewIntercepting(intercept, List.of("--hide", "/nonexistent-" + System.nanoTime(),
                program)).assertSuccess("in a sandbox").stdout());
    }
}
