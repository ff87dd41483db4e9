package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The view's loop devices, used as root uses the kernel's, by the ordinary user with util-linux:
 * losetup, blockdev, mount -o loop, mount IMG DIR with no type (libblkid probes the device),
 * autoclear at umount, an image inside a mounted image. The host's loop devices stay untouched.
 */
class LoopDevicesTest {
    private static final String PATH = "PATH=$PATH:/usr/sbin:/sbin; ";
    private static final String PACKAGES = "util-linux mount e2fsprogs fuse2fs";
    private final Sandbox sandbox = Sandbox.get();

    private Commands.Result host(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", PATH + script)).assertSuccess(script);
    }

    private Commands.Result inView(Path dir, String script) {
        return sandbox.umview("bash", "-c", PATH + "cd " + dir + " && " + script);
    }

    private Path imageDir(String name) {
        Sandbox.require(PACKAGES, "losetup", "blockdev", "mke2fs", "fuse2fs", "e2fsck", "debugfs");
        Path dir = sandbox.work.resolve(name + "-" + System.nanoTime());
        host("mkdir -p " + dir + "/mnt && cd " + dir + " && mkdir src && echo first > src/a && mke2fs -q -t ext2 -d src disk.img 8M");
        return dir;
    }

    @Test
    void losetupBlockdevAndDetachWorkOnTheViewsOwnDevices() {
        Path dir = imageDir("losetup");
        String script = "losetup -f --show disk.img && losetup -a | sed 's/\\[.*\\]:[0-9]* //' && blockdev --getsize64 /dev/loop0"
                + " && stat -c '%F %t:%T' /dev/loop0 && cat /sys/block/loop0/loop/backing_file"
                + " && losetup -f --show -r disk.img && losetup -n -O NAME,RO,AUTOCLEAR | tr -s ' ' | sort"
                + " && losetup -d /dev/loop0 /dev/loop1 && losetup -a | wc -l"
                + " && { losetup -d /dev/loop3 2>&1 || echo refused; } && { blockdev --getsize64 /dev/loop3 || true; }";
        String view = inView(dir, script).assertSuccess("losetup in a view").stdout();
        assertEquals("/dev/loop0\n/dev/loop0: (" + dir + "/disk.img)\n8388608\nblock special file 7:0\n" + dir + "/disk.img\n"
                + "/dev/loop1\n/dev/loop0 0 0\n/dev/loop1 1 0\n0\n"
                + "losetup: /dev/loop3: detach failed: No such device or address\nrefused\n0\n", view);
    }

    @Test
    void mountOfAnImageSetsUpALoopDeviceWithOrWithoutAType() {
        Path dir = imageDir("mount-loop");
        String script = "mount -o loop disk.img mnt && cat mnt/a && echo second > mnt/b && losetup -a | wc -l && umount mnt"
                + " && losetup -a | wc -l" // autoclear: the device is let go with the mount
                + " && mount disk.img mnt && cat mnt/b && findmnt -n -o TARGET mnt && umount mnt"
                + " && mount -t ext4 disk.img mnt && ls mnt && umount mnt"
                + " && dev=$(losetup -f --show disk.img) && mount -o ro $dev mnt && { (echo x > mnt/c) 2>/dev/null || echo read-only; }"
                + " && umount mnt && losetup -a | wc -l && losetup -d $dev"
                + " && { mount /dev/loop5 mnt 2>/dev/null || echo no-file; }";
        String view = inView(dir, script).assertSuccess("mount -o loop in a view").stdout();
        assertEquals("first\n1\n0\nsecond\n" + dir + "/mnt\na\nb\nlost+found\nread-only\n1\nno-file\n", view);
        host("e2fsck -fn " + dir + "/disk.img");
        assertEquals("second\n", host("debugfs -R 'cat /b' " + dir + "/disk.img 2>/dev/null").stdout());
    }

    /** mke2fs takes a short write to a disk for an error: a write of megabytes to the device is made whole. */
    @Test
    void mkfsOnALoopDeviceMakesAFileSystemTheHostAccepts() {
        Path dir = imageDir("mkfs-loop");
        host("truncate -s 64M " + dir + "/blank.img");
        String script = "dev=$(losetup -f --show blank.img) && mkfs.ext4 -q $dev && mount $dev mnt && echo made > mnt/f"
                + " && umount mnt && losetup -d $dev && echo done";
        assertEquals("done\n", inView(dir, script).assertSuccess("mkfs.ext4 on a loop device").stdout());
        host("e2fsck -fn " + dir + "/blank.img");
        assertEquals("made\n", host("debugfs -R 'cat /f' " + dir + "/blank.img 2>/dev/null").stdout());
    }

    @Test
    void anImageInsideAMountedImageIsALoopDeviceToo() {
        Path dir = imageDir("nested-loop");
        host("cd " + dir + " && mkdir outer-src && cp disk.img outer-src/inner.img && mke2fs -q -t ext2 -d outer-src outer.img 32M"
                + " && mkdir outer");
        String script = "mount -t umfuseext2 outer.img outer && dev=$(losetup -f --show outer/inner.img) && mount $dev mnt"
                + " && cat mnt/a && echo nested > mnt/n && umount mnt"
                + " && { umount outer 2>/dev/null || echo busy; }" // the loop device holds a file of it
                + " && losetup -d $dev && umount outer && echo done";
        String view = inView(dir, script).assertSuccess("a loop device over a served file").stdout();
        assertEquals("first\nbusy\ndone\n", view);
        host("e2fsck -fn " + dir + "/outer.img");
        host("cd " + dir + " && debugfs -R 'dump /inner.img inner.img' outer.img 2>/dev/null && e2fsck -fn inner.img");
        assertEquals("nested\n", host("debugfs -R 'cat /n' " + dir + "/inner.img 2>/dev/null").stdout());
    }

    @Test
    void theHostsLoopDevicesAreNotTouched() {
        Path dir = imageDir("host-loop");
        String before = host("ls -l --time-style=+ /dev/loop* 2>/dev/null; cat /sys/block/loop*/loop/backing_file 2>/dev/null; true")
                .stdout();
        inView(dir, "losetup -f --show disk.img && mount /dev/loop0 mnt && umount mnt && losetup -d /dev/loop0")
                .assertSuccess("a loop device of the view");
        String after = host("ls -l --time-style=+ /dev/loop* 2>/dev/null; cat /sys/block/loop*/loop/backing_file 2>/dev/null; true")
                .stdout();
        assertEquals(before, after);
        assertTrue(!after.contains(dir.toString()), "no host loop device has the image: " + after);
    }
}
