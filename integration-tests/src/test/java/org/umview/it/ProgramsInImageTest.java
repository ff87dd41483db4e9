package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real programs at work inside a umfuseext2 mount, as the ordinary user, each on a fresh ext4
 * image that e2fsck -fn must find clean afterwards: tar, git, make, a python venv, sqlite,
 * and, with -o human, another (virtual) user kept out of a private file.
 */
class ProgramsInImageTest {
    private static final String PATH = "PATH=$PATH:/usr/sbin:/sbin; ";
    private final Sandbox sandbox = Sandbox.get();

    /** A fresh image whose root directory is the user's, as mke2fs makes it for whoever asks for it. */
    private Path image(String name, String size) {
        Sandbox.require("e2fsprogs fuse2fs git make gcc python3", "mke2fs", "fuse2fs", "e2fsck", "git", "make", "gcc", "python3");
        Path dir = sandbox.work.resolve("programs-" + name + "-" + System.nanoTime());
        native_("mkdir -p " + dir + "/mnt && cd " + dir + " && mke2fs -q -t ext4 -E root_owner=$(id -u):$(id -g) disk.img " + size);
        return dir;
    }

    private Commands.Result native_(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", PATH + script)).assertSuccess(script);
    }

    /** {@code script} in a view, in the mounted image, which is unmounted and checked after. */
    private String inImage(Path dir, String options, String script) {
        String result = sandbox.umview("bash", "-c", "cd " + dir + " && mount -t umfuseext2 " + options + " disk.img mnt || exit 9;"
                + " cd mnt && (" + script + "); status=$?; cd " + dir + " && umount mnt && exit $status")
                .assertSuccess(script).stdout();
        native_("e2fsck -fn " + dir + "/disk.img");
        return result;
    }

    /**
     * The first 600 names of /usr/share/doc (files, directories, symlinks; a few thousand
     * FUSE requests a second here), so the test takes as long on every machine whatever its
     * packages; compared with the same archive extracted natively.
     */
    @Test
    void tarExtractsUsrShareDocWithEveryFileIntact() {
        Path dir = image("tar", "200M");
        native_("cd /usr/share && find ./doc | LC_ALL=C sort | head -600 > " + dir + "/names"
                + " && tar cf " + dir + "/doc.tar --no-recursion -T " + dir + "/names"
                + " && mkdir " + dir + "/native && tar xf " + dir + "/doc.tar -C " + dir + "/native");
        String sums = "find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2 | sha256sum; find . | LC_ALL=C sort | md5sum";
        String view = inImage(dir, "", "tar xf ../doc.tar && cd doc && " + sums);
        assertEquals(native_("cd " + dir + "/native/doc && " + sums).stdout(), view);
    }

    @Test
    void gitClonesAndCommits() {
        Path dir = image("git", "64M");
        native_("cd " + dir + " && git init -q origin && cd origin && echo one > a.txt && git add a.txt"
                + " && git -c user.name=t -c user.email=t@t commit -qm one");
        String view = inImage(dir, "", "git clone -q " + dir + "/origin c && cd c && echo two >> a.txt"
                + " && git -c user.name=t -c user.email=t@t commit -qam two && git log --format=%s && git fsck --no-progress 2>&1 && cat a.txt");
        assertEquals("two\none\none\ntwo\n", view);
    }

    @Test
    void makeWithMkdirPBuilds() {
        Path dir = image("make", "64M");
        String makefile = "all: obj/hello\\n\\nobj/%%.o: %%.c\\n\\tmkdir -p obj\\n\\tgcc -c -o $@ $<\\n\\n"
                + "obj/hello: obj/hello.o obj/greet.o\\n\\tmkdir -p obj\\n\\tgcc -o $@ $^\\n";
        String view = inImage(dir, "", "printf '" + makefile + "' > Makefile"
                + " && printf '#include <stdio.h>\\nvoid greet(void);\\nint main(void){greet();return 0;}\\n' > hello.c"
                + " && printf '#include <stdio.h>\\nvoid greet(void){puts(\"built in an image\");}\\n' > greet.c"
                + " && make -s -j2 && ./obj/hello && touch greet.c && make -s -j2 && ./obj/hello");
        assertEquals("built in an image\nbuilt in an image\n", view);
    }

    @Test
    void aPythonVenvRuns() {
        Path dir = image("venv", "64M");
        String view = inImage(dir, "", "python3 -m venv --without-pip venv && venv/bin/python -c 'import sys; print(sys.prefix != sys.base_prefix)'");
        assertEquals("True\n", view);
    }

    @Test
    void sqliteKeepsFiveThousandRowsIntact() {
        Path dir = image("sqlite", "64M");
        String view = inImage(dir, "", "python3 -c \"import sqlite3\n"
                + "db = sqlite3.connect('t.db')\n"
                + "db.execute('create table t (i integer primary key, s text)')\n"
                + "db.executemany('insert into t (s) values (?)', [('row %d' % i,) for i in range(5000)])\n"
                + "db.commit()\n"
                + "print(db.execute('pragma integrity_check').fetchone()[0], db.execute('select count(*) from t').fetchone()[0])\"");
        assertEquals("ok 5000\n", view);
        assertTrue(native_("debugfs -R 'stat /t.db' " + dir + "/disk.img 2>/dev/null").stdout().contains("Size:"));
    }

    @Test
    void humanKeepsAnotherUserOutAndGivesItWhatItCreates() {
        Path dir = image("human", "16M");
        String view = inImage(dir, "-o human", "id -u; echo secret > private && chmod 600 private && chmod 1777 . && stat -c '%a %u' private;"
                + " echo : > setuid && chmod 4777 setuid;"
                + " viewsudo -u nobody -g nogroup bash -c 'cat private 2>/dev/null || echo refused; echo mine > theirs; stat -c \"%u %g\" theirs;"
                + " rm private 2>/dev/null || echo not removed; echo : >> setuid'; stat -c %a setuid");
        String uid = native_("id -u").stdout().strip();
        // A write by another user takes set-user-ID away, as the kernel's does.
        assertEquals(uid + "\n600 " + uid + "\nrefused\n65534 65534\nnot removed\n777\n", view);
    }
}
