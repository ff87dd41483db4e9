package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's VFS rules on served file systems, as the ordinary user: every call of
 * vfs_rules.py (mkdir of an existing name or of ".", rmdir of "d/.", truncate of a directory,
 * O_EXCL, O_NOFOLLOW, link and rename corner cases, ftruncate of a read-only descriptor, lchown
 * and utimensat of a dangling symlink, set-user-ID taken by chown, FIFOs and socket nodes)
 * answers in a mount exactly as on the host, and the image is clean and writable afterwards.
 */
class VfsRulesTest {
    private static final String PATH = "PATH=$PATH:/usr/sbin:/sbin; ";
    private final Sandbox sandbox = Sandbox.get();

    private Path dir(String name) {
        Path dir = sandbox.work.resolve("vfs-" + name + "-" + System.nanoTime());
        native_("mkdir -p " + dir + "/native " + dir + "/mnt");
        return dir;
    }

    private Commands.Result native_(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", PATH + script)).assertSuccess(script);
    }

    private String rules() {
        return sandbox.resource("vfs_rules.py").toString();
    }

    /** What the host's kernel answers, in a fresh directory of the host. */
    private String onHost(Path dir) {
        return native_("python3 " + rules() + " " + dir + "/native").stdout();
    }

    /** The image in {@code dir} holds a socket node at {@code path}, as debugfs reads it. */
    private void assertSocketNode(Path dir, String path) {
        String node = native_("debugfs -R 'stat " + path + "' " + dir + "/disk.img 2>/dev/null | head -1").stdout();
        if (!node.contains("socket")) {
            fail(path + " is not a socket node in the image: " + node);
        }
    }

    @Test
    void umfuseExt2AnswersAsTheKernelAndTheImageStaysClean() {
        Sandbox.require("e2fsprogs fuse2fs", "mke2fs", "fuse2fs", "e2fsck", "debugfs");
        Path dir = dir("ext4");
        native_("cd " + dir + " && mke2fs -q -t ext4 disk.img 16M");
        String view = sandbox.umview("bash", "-c", "cd " + dir + " && mount -t umfuseext2 disk.img mnt || exit 9;"
                + " python3 " + rules() + " mnt; echo after > mnt/after.txt && cat mnt/after.txt; umount mnt")
                .assertSuccess("the rules in a umfuseext2 mount").stdout();
        assertEquals(onHost(dir) + "after\n", view);
        native_("e2fsck -fn " + dir + "/disk.img");
        String listing = native_("debugfs -R 'ls -l /' " + dir + "/disk.img 2>/dev/null").stdout();
        for (String name : List.of("sock", "plain", "after.txt", "tofile", "dangling")) {
            if (!listing.contains(name)) {
                fail(name + " is not in the image: " + listing);
            }
        }
        if (listing.contains("fifo")) {
            fail("the FIFO the script removed is still in the image: " + listing);
        }
        assertSocketNode(dir, "/sock");
    }

    @Test
    void asRootInTheViewTheRulesAreTheSame() {
        Sandbox.require("e2fsprogs fuse2fs", "mke2fs", "fuse2fs", "e2fsck");
        Path dir = dir("root");
        native_("cd " + dir + " && mke2fs -q -t ext4 disk.img 16M");
        String view = sandbox.umview("bash", "-c", "cd " + dir + " && mount -t umfuseext2 disk.img mnt || exit 9;"
                + " viewsu -c 'id -u; python3 " + rules() + " mnt'; umount mnt").assertSuccess("the rules as root in the view").stdout();
        assertEquals("0\n" + onHost(dir), view);
        native_("e2fsck -fn " + dir + "/disk.img");
    }

    @Test
    void aFifoAndAUnixSocketInAnImageWorkBetweenProcessesAndNeverReachTheHost() {
        Sandbox.require("e2fsprogs fuse2fs", "mke2fs", "fuse2fs", "e2fsck", "debugfs");
        Path dir = dir("special");
        native_("cd " + dir + " && mke2fs -q -t ext4 disk.img 16M");
        String special = sandbox.resource("special_files.py").toString();
        String expected = native_("python3 " + special + " " + dir + "/native").stdout();
        // The mount hides a host directory of the same name: a socket bound there would show in it.
        native_("mkdir " + dir + "/mnt/t");
        String view = sandbox.umview("bash", "-c", "cd " + dir + " && mount -t umfuseext2 disk.img mnt || exit 9;"
                + " mkdir mnt/t && python3 " + special + " mnt/t; umount mnt").assertSuccess("a FIFO and a socket in an image").stdout();
        assertEquals(expected, view);
        assertEquals("", native_("ls -A " + dir + "/mnt/t").stdout(), "a socket or FIFO reached the host");
        native_("e2fsck -fn " + dir + "/disk.img");
        assertSocketNode(dir, "/t/moved.sock");
    }

    @Test
    void deviceNodesInAnImageOpenTheViewsDeviceOrTheHostsOfTheirNumber() {
        Sandbox.require("e2fsprogs fuse2fs", "mke2fs", "fuse2fs", "e2fsck");
        Path dir = dir("devices");
        native_("cd " + dir + " && mke2fs -q -t ext4 disk.img 16M");
        String view = sandbox.umview("bash", "-c", "cd " + dir + " && mount -t umdevramdisk -o size=1M,major=240,minor=7 none ram"
                + " && mount -t umfuseext2 disk.img mnt || exit 9; mknod mnt/ram b 240 7 && mknod mnt/null c 1 3"
                + " && mknod mnt/none c 250 250 && stat -c '%F %t:%T' mnt/ram mnt/null;"
                + " echo through-the-node | dd of=mnt/ram conv=notrunc status=none; head -c 16 ram; echo;"
                + " echo gone > mnt/null && wc -c < mnt/null; cat mnt/none 2>&1 | sed 's/.*: //'; umount mnt")
                .assertSuccess("device nodes in an image").stdout();
        assertEquals("block special file f0:7\ncharacter special file 1:3\nthrough-the-node\n0\nNo such device or address\n", view);
        native_("e2fsck -fn " + dir + "/disk.img");
    }

    @Test
    void unrealAnswersAsTheKernel() {
        Path dir = dir("unreal");
        String view = sandbox.umview(List.of("-p", "unreal", "/usr/bin/python3", sandbox.resource("mount_then.py").toString(),
                "unreal", "none", "/unreal", "--", "python3", rules(), "/unreal" + dir + "/mnt"))
                .assertSuccess("the rules through /unreal").stdout();
        assertEquals(onHost(dir), view);
    }

    @Test
    void viewfsCowAnswersAsTheKernelAndLeavesItsSourceAlone() {
        Path dir = dir("cow");
        native_("mkdir " + dir + "/src && echo kept > " + dir + "/src/kept");
        String view = sandbox.umview("bash", "-c", "cd " + dir + " && mount -t viewfs -o cow,cowdir=layer src mnt || exit 9;"
                + " rm mnt/kept && python3 " + rules() + " mnt").assertSuccess("the rules in a viewfs cow mount").stdout();
        assertEquals(onHost(dir), view);
        assertEquals("kept\n", native_("ls " + dir + "/src; cat " + dir + "/src/kept > /dev/null").stdout());
    }
}
