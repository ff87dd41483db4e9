package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * viewfs modes with util-linux mount in a view, as an ordinary user; each test compares what
 * the view shows with what the host still has afterwards.
 */
class ViewfsTest {
    private final Sandbox sandbox = Sandbox.get();

    /** home/secret/key, home/secret/keep/note, home/public, etc/conf, etc/tmp/scratch, src/file. */
    private Path world() {
        Path dir = sandbox.work.resolve("viewfs-" + System.nanoTime());
        host("mkdir -p " + dir + "/home/secret/keep " + dir + "/etc/tmp " + dir + "/src && cd " + dir
                + " && echo key > home/secret/key && echo note > home/secret/keep/note && echo pub > home/public"
                + " && echo conf > etc/conf && echo scratch > etc/tmp/scratch && echo src > src/file");
        return dir;
    }

    private Commands.Result host(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", script)).assertSuccess(script);
    }

    private Commands.Result inView(Path dir, String script) {
        return sandbox.umview("bash", "-c", "cd " + dir + " && " + script);
    }

    /** The same with the path calls reaching the supervisor as {@code intercept} says (notify or ptrace). */
    private Commands.Result inView(Path dir, String script, String intercept) {
        return sandbox.umviewIntercepting(intercept, List.of("bash", "-c", "cd " + dir + " && " + script));
    }

    private String tree(Path dir) {
        return host("cd " + dir + " && find . | sort && cat etc/conf src/file home/secret/key").stdout();
    }

    @Test
    void hideMakesAPathUnreachableEveryWay() {
        Path dir = world();
        String before = tree(dir);
        Commands.Result result = inView(dir, "mount -t viewfs -o hide none " + dir + "/home/secret || exit 9; ls home;"
                + " cat home/secret/key; cat home/../home/secret/key; cat /proc/self/root" + dir + "/home/secret/key;"
                + " ln -s " + dir + "/home/secret link && cat link/key; cd home && cat secret/key; ls -a | grep -c secret;"
                + " mkdir secret; echo done");
        assertEquals("public\n0\ndone\n", result.stdout(), result.toString());
        assertEquals(5, result.stderr().split("No such file or directory", -1).length - 1, result.toString());
        assertTrue(result.stderr().contains("mkdir: cannot create directory"), result.toString());
        host("rm " + dir + "/link");
        assertEquals(before, tree(dir), "the host changed");
    }

    @Test
    void hiddenNamesInChunksOfTheirOwnDoNotEndTheListing() {
        Path dir = world();
        host("cd " + dir + " && mkdir many && cd many && for n in a b c d e f g; do mkdir $n; done");
        Commands.Result result = sandbox.umview("--hide", dir + "/many/b", "--hide", dir + "/many/c", "--hide", dir + "/many/e",
                "python3", sandbox.resource("tiny_listing.py").toString(), dir + "/many").assertSuccess("tiny listing");
        assertEquals("['a', 'd', 'f', 'g']\n", result.stdout(), result.toString());
    }

    @Test
    void readOnlyRefusesEveryChange() {
        Path dir = world();
        String before = tree(dir);
        Commands.Result result = inView(dir, "mount -t viewfs -o ro,except=tmp " + dir + "/etc " + dir + "/etc || exit 9;"
                + " cat etc/conf; echo x > etc/conf; touch etc/new; rm etc/conf; mkdir etc/d; chmod 777 etc/conf;"
                + " mv etc/conf etc/moved; ln etc/conf etc/hard; cd etc && echo y > conf2; echo z > tmp/allowed && cat tmp/allowed");
        assertEquals("conf\nz\n", result.stdout(), result.toString());
        assertEquals(8, result.stderr().split("Read-only file system", -1).length - 1, result.toString());
        host("rm " + dir + "/etc/tmp/allowed");
        assertEquals(before, tree(dir), "the host changed");
    }

    @Test
    void bindShowsTheSourceAndWritesReachIt() {
        Path dir = world();
        Commands.Result result = inView(dir, "mount -t viewfs src " + dir + "/bound || exit 9; cat bound/file;"
                + " echo more >> bound/file; ls bound; findmnt -n -o FSTYPE " + dir + "/bound; umount bound; ls bound 2>&1 | grep -c 'No such'")
                .assertSuccess("bind");
        assertEquals("src\nfile\nviewfs\n1\n", result.stdout());
        assertEquals("src\nmore\n", host("cat " + dir + "/src/file").stdout());
        assertEquals("0\n", host("ls " + dir + " | grep -c bound || true").stdout(), "the mount point never existed on the host");
    }

    @Test
    void exceptLeavesASubtreeVisible() {
        Path dir = world();
        Commands.Result result = inView(dir, "mount -t viewfs -o hide,except=keep none " + dir + "/home/secret || exit 9;"
                + " cat home/secret/keep/note; cat home/secret/key 2>&1 | grep -c 'No such'");
        assertEquals("note\n1\n", result.stdout(), result.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void copyOnWriteChangesOnlyTheLayerAndTheLayerCanBeUsedAgain(String intercept) {
        Path dir = world();
        String before = tree(dir);
        host("cd " + dir + " && mkdir -p src/sub/deep && echo b > src/sub/b && echo d > src/sub/deep/d && ln -s file src/link"
                + " && mkdir c src/keep && echo k > src/keep/k");
        String source = host("cd " + dir + "/src && find . | sort && cat file sub/b").stdout();
        Commands.Result result = inView(dir, "mount -t viewfs -o cow,cowdir=layer src " + dir + "/c || exit 9;"
                + " echo changed > c/file; echo new > c/new; mkdir c/d; echo x > c/d/f; rm c/sub/b; mv c/link c/link2;"
                + " chmod 600 c/new; ln c/new c/hard; rm -r c/sub/deep; rmdir c/sub; mkdir c/sub; ls c/sub | wc -l;"
                + " cd c && echo rel > d/rel && cat ../c/file link2 d/rel && ls -A | tr '\\n' ' ' && stat -c %a new && cd ..;"
                + " mv c/d c/e; mv c/e/f c/f2; mv c/keep c/kept && cat c/kept/k;"
                + " ls -A c | tr '\\n' ' '; echo; umount c; ls c | wc -l", intercept)
                .assertSuccess("cow");
        assertEquals("0\nchanged\nchanged\nrel\nd file hard keep link2 new sub 600\nk\ne f2 file hard kept link2 new sub \n0\n",
                result.stdout(), result.toString());
        assertEquals(source, host("cd " + dir + "/src && find . | sort && cat file sub/b").stdout(), "the source changed");
        assertEquals("changed\n", host("cat " + dir + "/layer/file").stdout());
        // The same layer again, in a new view: the changes are still there, deletions too.
        Commands.Result again = inView(dir, "mount -t viewfs -o cow,cowdir=layer src " + dir + "/c || exit 9;"
                + " cat c/file; ls -A c | tr '\\n' ' '; ls c/sub | wc -l", intercept).assertSuccess("cow again");
        assertEquals("changed\ne f2 file hard kept link2 new sub 0\n", again.stdout(), again.toString());
        host("rm -rf " + dir + "/layer " + dir + "/c && cd " + dir + "/src && rm -r sub link keep");
        assertEquals(before, tree(dir), "the host changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void gccAndMakeBuildInACopyOnWriteTreeLeavingTheSourceAsItWas(String intercept) {
        Path dir = world();
        host("cd " + dir + "/src && echo 'int puts(const char *); int main(void) { puts(\"built\"); return 0; }' > hello.c"
                + " && printf 'hello: hello.c\\n\\tgcc -O1 -o hello hello.c\\n' > Makefile");
        String source = host("cd " + dir + "/src && ls -la --time-style=+%s . && sha256sum *").stdout();
        String layers = host("ls -d /tmp/umview-layers-* /tmp/umview-layers-*/* 2>/dev/null | sort").stdout();
        Commands.Result result = inView(dir, "mount -t viewfs -o cow src src || exit 9; cd src && make -s && ./hello"
                + " && make -s && ls | tr '\\n' ' '", intercept).assertSuccess("make in cow");
        assertEquals("built\nMakefile file hello hello.c ", result.stdout(), result.toString());
        assertEquals(source, host("cd " + dir + "/src && ls -la --time-style=+%s . && sha256sum *").stdout(), "the source changed");
        assertEquals(layers, host("ls -d /tmp/umview-layers-* /tmp/umview-layers-*/* 2>/dev/null | sort").stdout(), "a private layer was left behind");
    }

    /** As on overlayfs: a file copied up keeps its numbers, so a hard link to it is the same file for git clone. */
    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void hardLinksInACopyOnWriteTreeAreOneFileAndGitCloneWorks(String intercept) {
        Path dir = world();
        host("cd " + dir + "/src && git init -q repo && cd repo && echo one > tracked && git add tracked"
                + " && git -c user.email=t@t -c user.name=t commit -q -m first && chmod 444 tracked");
        String source = host("cd " + dir + "/src && find . -printf '%p %i %n %s %m\n' | sort").stdout();
        String before = host("stat -c '%d %i' " + dir + "/src/repo/tracked").stdout();
        Commands.Result result = inView(dir, "mount -t viewfs -o cow,cowdir=layer src src || exit 9; cd src"
                + " && ln repo/tracked linked && stat -c '%d %i %h' repo/tracked linked"
                + " && git clone -q repo clone && cat clone/tracked && git -C clone log --format=%s"
                // a layer used again knows its copies
                + " && cd .. && umount src && mount -t viewfs -o cow,cowdir=layer src src && stat -c '%d %i %h' src/linked", intercept)
                .assertSuccess("hard links in cow");
        String numbers = before.trim() + " 2\n";
        assertEquals(numbers + numbers + "one\nfirst\n" + numbers, result.stdout(), result.toString());
        assertEquals(source, host("cd " + dir + "/src && find . -printf '%p %i %n %s %m\n' | sort").stdout(), "the source changed");
    }

    @Test
    void mergeLaysTheSourceReadOnlyOverTheTarget() {
        Path dir = world();
        host("cd " + dir + " && mkdir -p etc/tmp src/tmp && echo top > src/tmp/top");
        Commands.Result result = inView(dir, "mount -t viewfs -o merge src " + dir + "/etc || exit 9;"
                + " ls etc | tr '\\n' ' '; ls etc/tmp | tr '\\n' ' '; cat etc/file; echo x > etc/file; rm etc/tmp/top;"
                + " echo new > etc/tmp/new; rm etc/tmp/scratch; mkdir etc/dir; ls etc/tmp | tr '\\n' ' '");
        assertEquals("conf file tmp scratch top src\nnew top ", result.stdout(), result.toString());
        assertEquals(2, result.stderr().split("Read-only file system", -1).length - 1, result.toString());
        assertEquals("./conf\n./dir\n./tmp\n./tmp/new\n", host("cd " + dir + "/etc && find . -mindepth 1 | sort").stdout());
        assertEquals("src\n", host("cat " + dir + "/src/file").stdout());
    }

    @Test
    void moveShowsTheSourceAtTheTargetOnly() {
        Path dir = world();
        String before = tree(dir);
        Commands.Result result = inView(dir, "mount -t viewfs -o mode=move home/secret " + dir + "/moved || exit 9;"
                + " cat moved/key; ls home; cat home/secret/key 2>&1 | grep -c 'No such'; grep -c moved /proc/self/mounts;"
                + " umount moved; cat home/secret/key").assertSuccess("move");
        assertEquals("key\npublic\n1\n1\nkey\n", result.stdout(), result.toString());
        assertEquals(before, tree(dir), "the host changed");
    }

    @Test
    void mincowWritesThroughWherePermittedAndCopiesElsewhere() {
        Path dir = world();
        host("cd " + dir + " && chmod 444 src/file && echo w > src/writable");
        Commands.Result result = inView(dir, "mount -t viewfs -o mincow,cowdir=layer src src || exit 9;"
                + " echo more >> src/writable; chmod 644 src/file && echo more >> src/file; echo new > src/new; cat src/file; ls src | tr '\\n' ' '")
                .assertSuccess("mincow");
        assertEquals("src\nmore\nfile new writable ", result.stdout(), result.toString());
        assertEquals("w\nmore\n", host("cat " + dir + "/src/writable").stdout(), "a permitted write went through");
        assertEquals("src\n444\n", host("cat " + dir + "/src/file; stat -c %a " + dir + "/src/file").stdout(),
                "a file the host would not let be written was copied");
        assertEquals("new\n", host("cat " + dir + "/src/new").stdout());
        assertEquals("src\nmore\n", host("cat " + dir + "/layer/file").stdout());
    }

    @Test
    void badOptionsFailWithTheirReason() {
        Path dir = world();
        Commands.Result result = inView(dir, "mount -t viewfs -o cloned src " + dir + "/c; echo status $?;"
                + " mount -t viewfs -o cow,cowdir=. src " + dir + "/c; echo status $?");
        assertEquals("status 32\nstatus 32\n", result.stdout());
        assertTrue(result.stderr().contains("unknown option cloned"), result.toString());
        assertTrue(result.stderr().contains("holds the source"), result.toString());
    }
}
