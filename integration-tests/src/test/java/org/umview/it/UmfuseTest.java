package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * umfuse with the Debian FUSE programs, as an ordinary user: images made with mke2fs,
 * mkfs.vfat and mcopy, genisoimage and mksquashfs are mounted with util-linux mount(8) inside
 * a view, read, written, unmounted, then checked outside umview with the file systems' own
 * tools.
 */
class UmfuseTest {
    /** sbin holds mke2fs and friends; an ordinary user's PATH may lack it. */
    private static final String PATH = "PATH=$PATH:/usr/sbin:/sbin; ";
    private static final String PACKAGES = "e2fsprogs fuse2fs fusefat fuseiso squashfuse squashfs-tools dosfstools mtools genisoimage";
    private final Sandbox sandbox = Sandbox.get();

    /** A fresh directory with a source tree: a file, a subdirectory with a 300 kB file, a symlink. */
    private Path tree(String name) {
        Path dir = sandbox.work.resolve(name + "-" + System.nanoTime());
        native_("mkdir -p " + dir + "/src/sub " + dir + "/mnt && cd " + dir + " && echo hello > src/a.txt"
                + " && echo inner > src/sub/s.txt && head -c 300000 /dev/urandom > src/sub/big.bin && ln -s a.txt src/link");
        return dir;
    }

    private Commands.Result native_(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", PATH + script)).assertSuccess(script);
    }

    private Commands.Result inView(Path dir, String script) {
        return sandbox.umview("bash", "-c", "cd " + dir + " && " + script);
    }

    /** The same with the path calls reaching the supervisor as {@code intercept} says (notify or ptrace). */
    private Commands.Result inView(Path dir, String script, String intercept) {
        return sandbox.umviewIntercepting(intercept, List.of("bash", "-c", "cd " + dir + " && " + script));
    }

    private String sums(Path dir, String root) {
        return native_("cd " + dir + "/" + root + " && sha256sum a.txt sub/s.txt sub/big.bin").stdout();
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void ext4ReadWriteThenE2fsckAcceptsTheImage(String intercept) {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs", "e2fsck", "debugfs");
        Path dir = tree("ext4");
        native_("cd " + dir + " && mke2fs -q -t ext4 -d src disk.img 32M");
        Commands.Result result = inView(dir, "set -e; mount -t umfuseext2 disk.img mnt; cd mnt;"
                + " sha256sum a.txt sub/s.txt sub/big.bin; readlink link; cat link; stat -c '%F %s' sub/big.bin;"
                + " df . | tail -1 | grep -q disk.img; mkdir newdir; echo written > newdir/f.txt; mv newdir/f.txt newdir/g.txt;"
                + " rm sub/s.txt; chmod 600 a.txt; stat -c %a a.txt; truncate -s 3 a.txt;"
                + " head -c 20000000 /dev/urandom > big20; sha256sum big20 > ../big20.sum; cd ..; umount mnt; ls mnt | wc -l", intercept)
                .assertSuccess("ext4 through umfuseext2");
        String expected = sums(dir, "src") + "a.txt\nhello\nregular file 300000\n600\n0\n";
        assertEquals(expected, result.stdout());
        native_("e2fsck -fn " + dir + "/disk.img");
        assertEquals("written\n", native_("debugfs -R 'cat /newdir/g.txt' " + dir + "/disk.img 2>/dev/null").stdout());
        assertEquals("hel", native_("debugfs -R 'cat /a.txt' " + dir + "/disk.img 2>/dev/null").stdout());
        String listing = native_("debugfs -R 'ls -l /sub' " + dir + "/disk.img 2>/dev/null").stdout();
        assertTrue(listing.contains("big.bin") && !listing.contains("s.txt"), listing);
        String big = native_("cd " + dir + " && debugfs -R 'cat /big20' disk.img 2>/dev/null | sha256sum | cut -d' ' -f1").stdout();
        assertEquals(native_("cut -d' ' -f1 " + dir + "/big20.sum").stdout(), big);
    }

    /**
     * Processes making one name at once (make -j2 running mkdir -p twice) reach the program
     * once: fuse2fs takes a second MKDIR of a name for a damaged file system and turns it
     * read-only, which the kernel's directory lock never lets happen.
     */
    @Test
    void concurrentCreatesOfOneNameLeaveTheImageWritable() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs", "e2fsck");
        Path dir = tree("race");
        native_("cd " + dir + " && mke2fs -q -t ext4 disk.img 32M");
        Commands.Result result = inView(dir, "mount -t umfuseext2 disk.img mnt || exit 9; cd mnt;"
                + " for i in $(seq 30); do mkdir -p d$i & mkdir -p d$i & mkdir -p d$i & wait; done;"
                + " for i in $(seq 15); do (echo a > f$i) & (echo b > f$i) & wait; done;"
                + " echo written > after.txt && cat after.txt; ls -d d* | wc -l; ls f* | wc -l; cd .. && umount mnt")
                .assertSuccess("concurrent creates");
        assertEquals("written\n30\n15\n", result.stdout(), result.toString());
        native_("e2fsck -fn " + dir + "/disk.img");
    }

    @Test
    void aMountOnAPathThatDoesNotExistWorksAndLeavesNothingBehind() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs", "e2fsck");
        Path dir = tree("nowhere");
        native_("cd " + dir + " && mke2fs -q -t ext4 disk.img 8M");
        Commands.Result result = inView(dir, "mount -t umfuseext2 disk.img " + dir + "/no/such/dir || exit 9;"
                + " echo here > no/such/dir/f && cat no/such/dir/f && umount no/such/dir && ls no 2>&1 | sed 's/.*: //'")
                .assertSuccess("a mount where nothing is");
        assertEquals("here\nNo such file or directory\n", result.stdout());
        native_("e2fsck -fn " + dir + "/disk.img; test ! -e " + dir + "/no");
    }

    @Test
    void writableSharedMapsReachTheImage() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs", "e2fsck", "debugfs");
        Path dir = tree("mmap");
        native_("cd " + dir + " && mke2fs -q -t ext4 disk.img 8M");
        Commands.Result result = inView(dir, "mount -t umfuseext2 disk.img mnt || exit 9; python3 "
                + sandbox.resource("shared_map.py") + " mnt/mapped && umount mnt").assertSuccess("shared maps");
        assertEquals("after msync b'HELLO'\nafter munmap b'WORLD'\nchild wrote b'KID'\n", result.stdout(), result.toString());
        native_("e2fsck -fn " + dir + "/disk.img");
        String stored = native_("debugfs -R 'cat /mapped' " + dir + "/disk.img 2>/dev/null | python3 -c \"import sys;"
                + " d = sys.stdin.buffer.read(); print(len(d), d[:5], d[100:103], d[200:203], d[9995:])\"").stdout();
        assertEquals("10000 b'HELLO' b'KID' b'END' b'WORLD'\n", stored);
    }

    @Test
    void anImageSeenThroughAnotherMountNeedsNestingWhichMinusXTurnsOff() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs");
        Path dir = tree("nesting");
        native_("cd " + dir + " && mkdir images alias && mke2fs -q -t ext2 -d src images/disk.img 4M");
        String script = "cd " + dir + " && mount -t viewfs images " + dir + "/alias || exit 9;"
                + " mount -t umfuseext2 alias/disk.img mnt 2>/dev/null && cat mnt/a.txt && umount mnt; echo status $?";
        assertEquals("hello\nstatus 0\n", sandbox.umview("bash", "-c", script).stdout(), "the FUSE program sees the view");
        assertEquals("status 32\n", sandbox.umview("-x", "bash", "-c", script).stdout(), "with -x it sees the host only");
    }

    @Test
    void aMountMayHideTheImageItMounts() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs", "e2fsck", "debugfs");
        Path dir = tree("hiding");
        native_("cd " + dir + " && mkdir images && mke2fs -q -t ext2 -d src images/disk.img 4M");
        Commands.Result result = inView(dir, "mount -t umfuseext2 images/disk.img images || exit 9; cat images/a.txt;"
                + " echo below > images/new; umount images; ls images; mount -t umfuseext2 images/disk.img images/disk.img"
                + " || exit 8; cat images/disk.img/new; umount images/disk.img").assertSuccess("mounts over their own image");
        assertEquals("hello\ndisk.img\nbelow\n", result.stdout(), result.toString());
        native_("e2fsck -fn " + dir + "/images/disk.img");
    }

    @Test
    void readsOfARegularFileAreWholeAsTheKernelMakesThem() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs");
        Path dir = tree("whole");
        native_("cd " + dir + " && head -c 3000000 /dev/urandom > src/three && mke2fs -q -t ext4 -d src disk.img 16M");
        // dd counts a short read as a block: any read cut at a chunk boundary changes what it copies.
        String reads = "dd if=%s/three bs=7000 skip=3 count=400 status=none | sha256sum; dd if=%s/three bs=1M status=none | sha256sum";
        String host = native_(String.format(reads, dir + "/src", dir + "/src")).stdout();
        Commands.Result result = inView(dir, "mount -t umfuseext2 disk.img mnt || exit 9; " + String.format(reads, "mnt", "mnt")
                + "; umount mnt").assertSuccess("dd through umfuse");
        assertEquals(host, result.stdout(), result.toString());
    }

    @Test
    void ext2ProgramTypedInTheViewMountsItself() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs", "e2fsck", "debugfs");
        Path dir = tree("ext2");
        native_("cd " + dir + " && mke2fs -q -t ext2 -d src disk.img 8M");
        Commands.Result result = sandbox.umview("-p", "umfuse", "bash", "-c", "cd " + dir
                + " && fuse2fs disk.img mnt && cat mnt/sub/s.txt && grep -c ' " + dir + "/mnt fuse' /proc/mounts"
                + " && echo more > mnt/more.txt && umount mnt && echo done").assertSuccess("fuse2fs typed in the view");
        assertEquals("inner\n1\ndone\n", result.stdout());
        native_("e2fsck -fn " + dir + "/disk.img");
        assertEquals("more\n", native_("debugfs -R 'cat /more.txt' " + dir + "/disk.img 2>/dev/null").stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "ptrace"})
    void fatReadWriteThenFsckAndMtypeAgree(String intercept) {
        Sandbox.require(PACKAGES, "mkfs.vfat", "mcopy", "mtype", "fsck.vfat", "fusefat");
        Path dir = tree("fat");
        native_("cd " + dir + " && mkfs.vfat -C disk.img 8192 >/dev/null && mcopy -s -i disk.img src/a.txt src/sub ::/");
        Commands.Result result = inView(dir, "set -e; mount -t umfusefat disk.img mnt; sha256sum mnt/sub/big.bin;"
                + " echo fat-written > mnt/new.txt; mkdir mnt/d; mv mnt/new.txt mnt/d/moved.txt; rm mnt/a.txt; umount mnt", intercept)
                .assertSuccess("FAT through umfusefat");
        assertEquals(native_("cd " + dir + " && sha256sum src/sub/big.bin | sed 's# src/# mnt/#'").stdout(), result.stdout());
        native_("fsck.vfat -n " + dir + "/disk.img");
        assertEquals("fat-written\n", native_("mtype -i " + dir + "/disk.img ::/d/moved.txt").stdout());
        assertNotEquals(0, sandbox.nativeRun(List.of("mtype", "-i", dir + "/disk.img", "::/a.txt")).exitCode(),
                "a.txt was removed in the view");
    }

    @Test
    void isoAndSquashfsReadTheSourceTreeAndRefuseWrites() {
        Sandbox.require(PACKAGES, "genisoimage", "fuseiso", "mksquashfs", "squashfuse");
        Path dir = tree("ro");
        native_("cd " + dir + " && genisoimage -quiet -R -J -o disk.iso src && mksquashfs src disk.sq -quiet -noappend >/dev/null");
        for (String type : List.of("umfuseiso9660 disk.iso", "umfusesquashfs disk.sq")) {
            Commands.Result result = inView(dir, "mount -t " + type + " mnt || exit 9; cd mnt; sha256sum a.txt sub/s.txt sub/big.bin;"
                    + " readlink link; touch new 2>&1 | grep -c 'Read-only'; cd ..; umount mnt");
            assertEquals(0, result.exitCode(), type + ": " + result);
            assertEquals(sums(dir, "src") + "a.txt\n1\n", result.stdout(), type);
        }
    }

    @Test
    void anyProgramWithExecAndAClearErrorWithout() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs");
        Path dir = tree("exec");
        native_("cd " + dir + " && mke2fs -q -t ext2 -d src disk.img 4M");
        Commands.Result result = inView(dir, "mount -t umfuse -o exec=fuse2fs,showcall disk.img mnt && cat mnt/a.txt && umount mnt;"
                + " mount -t umfuse disk.img mnt; echo status $?");
        assertEquals("hello\nstatus 32\n", result.stdout(), result.toString());
        assertTrue(result.stderr().contains("fuse2fs " + dir + "/disk.img " + dir + "/mnt"), "showcall: " + result);
        assertTrue(result.stderr().contains("umfuse needs -o exec=PROGRAM"), result.toString());
    }

    @Test
    void readOnlyMountRefusesWrites() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs");
        Path dir = tree("ro-ext");
        native_("cd " + dir + " && mke2fs -q -t ext4 -d src disk.img 8M");
        Commands.Result result = inView(dir, "mount -t umfuseext2 -o ro disk.img mnt && cat mnt/a.txt;"
                + " echo x > mnt/a.txt; echo status $?; umount mnt");
        assertTrue(result.stdout().startsWith("hello\nstatus 1"), result.toString());
        assertTrue(result.stderr().contains("Read-only file system"), result.toString());
    }

    @Test
    void corruptImageFailsTheMountAndTheViewGoesOn() {
        Sandbox.require(PACKAGES, "fuse2fs");
        Path dir = tree("corrupt");
        native_("head -c 4000000 /dev/urandom > " + dir + "/disk.img");
        Commands.Result result = inView(dir, "mount -t umfuseext2 disk.img mnt; echo mount $?; ls mnt | wc -l; echo alive");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().matches("mount [1-9][0-9]*\n0\nalive\n"), result.toString());
        assertTrue(result.stderr().contains("Bad magic number"), "the program's own error is shown: " + result);
    }

    @Test
    void ext2ImageInsideAMountedFatImageMountsToo() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs", "mkfs.vfat", "mcopy", "fusefat");
        Path dir = tree("stack");
        native_("cd " + dir + " && mke2fs -q -t ext2 -d src inner.img 2M && mkfs.vfat -C outer.img 8192 >/dev/null"
                + " && mcopy -i outer.img inner.img ::/ && mkdir mnt2");
        Commands.Result result = inView(dir, "set -e; mount -t umfusefat outer.img mnt; mount -t umfuseext2 mnt/INNER.IMG mnt2;"
                + " cat mnt2/sub/s.txt; echo deep > mnt2/deep.txt; umount mnt2; umount mnt; echo ok")
                .assertSuccess("an image inside a mounted image");
        assertEquals("inner\nok\n", result.stdout());
        native_("cd " + dir + " && mcopy -o -i outer.img ::/INNER.IMG back.img && e2fsck -fn back.img >/dev/null");
        assertEquals("deep\n", native_("debugfs -R 'cat /deep.txt' " + dir + "/back.img 2>/dev/null").stdout());
    }

    @Test
    void sigtermToUmviewWhileWritingLeavesACleanImage() throws Exception {
        Path dir = sigtermWhileMounted("sigterm", "while :; do head -c 100000 /dev/urandom >> mnt/log; done");
        native_("e2fsck -fn " + dir + "/disk.img");
    }

    /**
     * A program that saves its work when told to end finds its mount still served: the FUSE
     * program is stopped after the view's programs are gone, not with them.
     */
    @Test
    void aProgramSavingOnSigtermWritesIntoTheMount() throws Exception {
        Path dir = sigtermWhileMounted("saving", "trap \"echo saved > mnt/saved; exit 0\" TERM; while :; do sleep 0.1; done");
        native_("e2fsck -fn " + dir + "/disk.img");
        assertEquals("saved\n", native_("debugfs -R 'cat /saved' " + dir + "/disk.img 2>/dev/null").stdout());
    }

    /** Runs {@code program} in a view with a umfuseext2 mount at mnt, then sends umview SIGTERM. */
    private Path sigtermWhileMounted(String name, String program) throws Exception {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs", "e2fsck", "debugfs");
        Path dir = tree(name);
        native_("cd " + dir + " && mke2fs -q -t ext4 -d src disk.img 32M");
        List<String> argv = new java.util.ArrayList<>(List.of(sandbox.umview.toString(), "bash", "-c", "cd " + dir
                + " && mount -t umfuseext2 disk.img mnt && echo mounted > ready && " + program));
        Process umview = new ProcessBuilder(sandbox.asUser(argv)).directory(sandbox.work.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path ready = dir.resolve("ready");
        for (int i = 0; i < 200 && !java.nio.file.Files.exists(ready); i++) {
            Thread.sleep(50);
        }
        assertTrue(java.nio.file.Files.exists(ready), "the program never started");
        Thread.sleep(500);
        Commands.run(List.of("kill", "-TERM", Long.toString(umview.pid())));
        assertTrue(umview.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "umview did not end after SIGTERM");
        return dir;
    }

    @Test
    void viewEndingWhileMountedLeavesACleanImage() {
        Sandbox.require(PACKAGES, "mke2fs", "fuse2fs", "e2fsck");
        Path dir = tree("end");
        native_("cd " + dir + " && mke2fs -q -t ext4 -d src disk.img 16M");
        inView(dir, "mount -t umfuseext2 disk.img mnt && for i in 1 2 3 4 5; do head -c 1000000 /dev/urandom > mnt/f$i; done")
                .assertSuccess("writing and leaving without umount");
        native_("e2fsck -fn " + dir + "/disk.img");
        assertEquals("1000000\n", native_("debugfs -R 'cat /f5' " + dir + "/disk.img 2>/dev/null | wc -c").stdout());
    }
}
