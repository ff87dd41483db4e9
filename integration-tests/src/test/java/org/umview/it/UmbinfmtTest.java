package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** umbinfmt: a view's own binfmt_misc, kernel syntax, consulted by exec. */
class UmbinfmtTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void magicAndExtensionEntriesRunTheirInterpreters() {
        Path dir = sandbox.work.resolve("binfmt-" + System.nanoTime());
        sandbox.nativeRun(List.of("bash", "-c", "mkdir -p " + dir + "/binfmt && cd " + dir
                + " && printf 'import sys\\nprint(\"python ran\", sys.argv[1:])\\n' > hello.py && printf 'UMVWdata\\n' > data.umv"
                + " && printf '#!/bin/sh\\necho \"args: $*\"\\n' > show && chmod +x hello.py data.umv show")).assertSuccess("setup");
        Commands.Result result = sandbox.umview("bash", "-c", "cd " + dir + " && mount -t umbinfmt none " + dir + "/binfmt || exit 9;"
                + " echo ':py:E::py::/usr/bin/python3:' > binfmt/register; echo ':umv:M:0:UMVW::" + dir + "/show:P' > binfmt/register;"
                + " ls binfmt | tr '\\n' ' '; echo; cat binfmt/umv; ./hello.py a b; ./data.umv x;"
                + " echo 0 > binfmt/py; ./hello.py 2>/dev/null; echo disabled $?; echo -1 > binfmt/status; ls binfmt | wc -l;"
                + " echo ':bad:Q:::x:' > binfmt/register; echo bad $?")
                .assertSuccess("binfmt");
        assertEquals("py register status umv \nenabled\ninterpreter " + dir + "/show\nflags: P\noffset 0\nmagic 554d5657\n"
                + "python ran ['a', 'b']\nargs: ./data.umv ./data.umv x\ndisabled 2\n2\nbad 1\n", result.stdout());
        assertTrue(result.stderr().contains("Invalid argument"), result.toString());
        Commands.Result outside = sandbox.nativeRun(List.of("bash", "-c", "cd " + dir + " && ./data.umv 2>/dev/null; echo $?"));
        assertEquals("127\n", outside.stdout(), "outside the view the file is no program (bash tries it as a script)");
    }
}
