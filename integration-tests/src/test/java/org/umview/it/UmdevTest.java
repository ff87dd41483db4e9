package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** umdev devices as an ordinary user: a RAM disk that mkfs and umfuseext2 use, and a null device. */
class UmdevTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void ramDiskTakesAFileSystemThatUmfuseMounts() {
        Path dir = sandbox.work.resolve("umdev-" + System.nanoTime());
        sandbox.nativeRun(List.of("bash", "-c", "mkdir -p " + dir + "/mnt && touch " + dir + "/ram")).assertSuccess("setup");
        Commands.Result result = sandbox.umview("bash", "-c", "PATH=$PATH:/usr/sbin:/sbin; cd " + dir
                + " && mount -t umdevramdisk -o size=16M,mode=600 none " + dir + "/ram || exit 9; stat -c '%F %t:%T %a' ram;"
                + " blockdev --getsize64 ram; mkfs.ext2 -q ram && mount -t umfuseext2 ram mnt && echo on-ramdisk > mnt/f"
                + " && cat mnt/f && umount mnt && e2fsck -fn ram > /dev/null && echo clean")
                .assertSuccess("a RAM disk");
        assertEquals("block special file 1:0 600\n16777216\non-ramdisk\nclean\n", result.stdout());
        assertEquals("0\n", sandbox.nativeRun(List.of("stat", "-c", "%s", dir + "/ram")).stdout(), "the host file changed");
    }

    @Test
    void nullDeviceSwallowsWrites() {
        Path dir = sandbox.work.resolve("umdevnull-" + System.nanoTime());
        sandbox.nativeRun(List.of("bash", "-c", "mkdir -p " + dir + " && echo host > " + dir + "/file")).assertSuccess("setup");
        Commands.Result result = sandbox.umview("bash", "-c", "mount -t umdevnull -o major=9,minor=9 none " + dir + "/file || exit 9;"
                + " echo gone > " + dir + "/file; wc -c < " + dir + "/file; stat -c '%F %t:%T' " + dir + "/file;"
                + " mount -t umdevramdisk none " + dir + "/x; echo status $?");
        assertTrue(result.stdout().startsWith("0\ncharacter special file 9:9\nstatus 32\n"), result.toString());
        assertTrue(result.stderr().contains("umdevramdisk needs -o size="), result.toString());
        assertEquals("host\n", sandbox.nativeRun(List.of("cat", dir + "/file")).stdout());
    }

    @Test
    void partitionedImageShowsItsPartitionsAndSfdiskRepartitionsIt() {
        Path dir = sandbox.work.resolve("umdevmbr-" + System.nanoTime());
        sandbox.nativeRun(List.of("bash", "-c", "PATH=$PATH:/usr/sbin:/sbin; mkdir -p " + dir + "/mnt && cd " + dir
                + " && truncate -s 40M disk.img && printf 'label: dos\\n,10M,L\\n,,L\\n' | sfdisk -q disk.img"))
                .assertSuccess("an MBR image");
        Commands.Result result = sandbox.umview("bash", "-c", "PATH=$PATH:/usr/sbin:/sbin; cd " + dir
                + " && mount -t umdevmbr disk.img " + dir + "/hda || exit 9; stat -c '%F %t:%T' hda hda1 hda2;"
                + " stat hda3 2>&1 | grep -c 'No such'; ls | grep hda | tr '\\n' ' '; echo; blockdev --getsize64 hda1 hda2;"
                + " mkfs.ext2 -q hda1 && mount -t umfuseext2 hda1 mnt && echo on-partition > mnt/f && umount mnt && echo written")
                .assertSuccess("MBR partitions");
        assertEquals("block special file 3:0\nblock special file 3:1\nblock special file 3:2\n1\nhda hda1 hda2 \n10485760\n30408704\nwritten\n",
                result.stdout(), result.toString());
        // The first partition, cut out of the image on the host, is a clean ext2 holding the file.
        assertEquals("on-partition\n", sandbox.nativeRun(List.of("bash", "-c", "PATH=$PATH:/usr/sbin:/sbin; cd " + dir
                + " && dd if=disk.img of=part1 bs=512 skip=2048 count=20480 status=none && e2fsck -fn part1 >/dev/null"
                + " && debugfs -R 'cat /f' part1 2>/dev/null")).stdout());
        Commands.Result gpt = sandbox.umview("bash", "-c", "PATH=$PATH:/usr/sbin:/sbin; cd " + dir
                + " && mount -t umdevmbr disk.img " + dir + "/hda || exit 9; printf 'label: gpt\\n,8M\\n,8M\\n,8M\\n' | sfdisk -q hda"
                + " 2>/dev/null && blockdev --getsize64 hda3 && stat -c %T hda3").assertSuccess("GPT written from the view");
        assertEquals("8388608\n3\n", gpt.stdout(), gpt.toString());
        assertTrue(sandbox.nativeRun(List.of("bash", "-c", "PATH=$PATH:/usr/sbin:/sbin; sfdisk -d " + dir + "/disk.img")).stdout()
                .contains("label: gpt"), "the table written in the view is in the image");
    }
}
