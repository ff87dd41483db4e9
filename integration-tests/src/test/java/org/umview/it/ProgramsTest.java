package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Real programs with threads, compilers and runtimes behave as they do natively. */
class ProgramsTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void pthreadsThatForkGiveTheNativeResult() {
        String program = sandbox.compile("pthreads").toString();
        Commands.Result expected = sandbox.nativeRun(List.of(program)).assertSuccess("native pthreads");
        Commands.Result actual = sandbox.umview(program).assertSuccess("pthreads in umview");
        assertEquals(expected.stdout(), actual.stdout());
    }

    @Test
    void execFromANonLeaderThreadKeepsThePid() {
        String program = sandbox.compile("exec_from_thread").toString();
        Commands.Result result = sandbox.umview(program).assertSuccess("exec_from_thread in umview");
        Matcher leader = Pattern.compile("leader pid (\\d+)").matcher(result.stdout());
        Matcher execed = Pattern.compile("exec from thread: pid (\\d+) ok").matcher(result.stdout());
        assertTrue(leader.find() && execed.find(), result.toString());
        assertEquals(leader.group(1), execed.group(1), "the pid changed across exec");
    }

    @Test
    void gccAndParallelMakeBuildAWorkingProgram() {
        String script = "set -e; d=$(mktemp -d); cd $d\n"
                + "for n in 1 2 3 4; do printf '#include <stdio.h>\\nint f%s(void){return %s;}\\n' $n $n > f$n.c; done\n"
                + "printf '#include <stdio.h>\\nint f1(void);int f2(void);int f3(void);int f4(void);\\n"
                + "int main(void){printf(\"sum %%d\\\\n\", f1()+f2()+f3()+f4());return 0;}\\n' > main.c\n"
                + "printf 'prog: main.o f1.o f2.o f3.o f4.o\\n\\tgcc -o $@ $^\\n%%.o: %%.c\\n\\tgcc -O2 -c $<\\n' > Makefile\n"
                + "make -s -j2 && ./prog; cd /; rm -rf $d";
        Commands.Result result = sandbox.umview("bash", "-c", script).assertSuccess("make -j2 in umview");
        assertEquals("sum 10\n", result.stdout());
    }

    @Test
    void pythonThreadsRunSubprocesses() {
        String script = "import threading, subprocess\n"
                + "out = []\n"
                + "def run(i): out.append(subprocess.run(['echo', str(i)], capture_output=True, text=True).stdout.strip())\n"
                + "ts = [threading.Thread(target=run, args=(i,)) for i in range(12)]\n"
                + "[t.start() for t in ts]; [t.join() for t in ts]\n"
                + "print(sorted(int(x) for x in out))";
        Commands.Result result = sandbox.umview("python3", "-c", script).assertSuccess("python threads in umview");
        assertEquals("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n", result.stdout());
    }

    @Test
    void aJvmRunsInsideTheView() {
        Commands.Result result = sandbox.umview("java", "-version").assertSuccess("java -version in umview");
        assertTrue(result.stderr().contains("version \""), result.toString());
    }

    @Test
    void gitCommitsInsideTheView() {
        String script = "set -e; d=$(mktemp -d); cd $d; git init -q .; echo hello > f; git add f;"
                + " git -c user.email=t@example.org -c user.name=t commit -qm first; git log --format=%s; git cat-file -p HEAD:f;"
                + " cd /; rm -rf $d";
        Commands.Result result = sandbox.umview("bash", "-c", script).assertSuccess("git in umview");
        assertEquals("first\nhello\n", result.stdout());
    }
}
