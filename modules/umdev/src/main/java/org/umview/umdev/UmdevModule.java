package org.umview.umdev;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * umdev: virtual devices, mounted on a file. {@code mount -t umdevnull none FILE} swallows
 * writes and reads as empty; {@code mount -t umdevramdisk -o size=16M none FILE} is a RAM
 * block device (mkfs and mount -t umfuseext2 work on it); {@code mount -t umdevmbr disk.img
 * /dev/hda} a partitioned image as a disk, its MBR or GPT partitions at /dev/hda1, /dev/hda2, ...
 * (re-read at BLKRRPART, so fdisk and sfdisk can repartition it). Options: mode=, uid=, gid=,
 * major=, minor=, chr or blk. {@code mount -t umdevtap -o vde=SWITCH none /dev/net/tun}: TAP
 * interfaces whose frames are a VDE switch's port's ({@link TapDevice}).
 */
public final class UmdevModule implements Module {
    /** Partitions 1-16 (4 primary, 12 logical; GPT's first 16) have devices, and any number a table has beyond. */
    private static final int PARTITION_DEVICES = 16;
    /** As many as the kernel makes at start (CONFIG_BLK_DEV_LOOP_MIN_COUNT). */
    private static final int LOOP_DEVICES = 8;

    @Override
    public String name() {
        return "umdev";
    }

    @Override
    public String description() {
        return "virtual devices: umdevnull, umdevramdisk (size=N[kMG]), umdevmbr (IMAGE: DEVICE, DEVICE1...); mode= uid= gid= major= minor= chr|blk;"
                + " umdevtap (vde=SWITCH: /dev/net/tun)";
    }

    /**
     * The view's loop devices, there while the module is loaded (the view loads it at the first
     * open of /dev/loop-control or /dev/loopN for writing): /dev/loop-control, /dev/loop0 to
     * /dev/loop7 and what sysfs shows of them. Owned by the user who runs the view, as root
     * owns the host's.
     */
    @Override
    public Map<String, FileSystem> files() {
        int owner = owner();
        List<LoopDevice> devices = new ArrayList<>();
        Map<String, FileSystem> files = new HashMap<>();
        for (int number = 0; number < LOOP_DEVICES; number++) {
            LoopDevice device = new LoopDevice(number);
            devices.add(device);
            files.put("/dev/loop" + number, new Device(deviceAttributes(FileAttributes.S_IFBLK, LoopDevice.MAJOR, number, owner), device));
            LoopSysfs sysfs = new LoopSysfs(device);
            files.put("/sys/block/loop" + number, sysfs);
            files.put("/sys/dev/block/" + LoopDevice.MAJOR + ":" + number, sysfs);
        }
        files.put("/dev/loop-control", new Device(deviceAttributes(FileAttributes.S_IFCHR, LoopControl.MAJOR, LoopControl.MINOR,
                owner), new LoopControl(List.copyOf(devices))));
        return files;
    }

    private static FileAttributes deviceAttributes(int type, long major, long minor, int owner) {
        long rdev = (major << 8) | minor;
        long now = System.currentTimeMillis() / 1000;
        return new FileAttributes(6, rdev, type | 0660, 1, owner, owner, rdev, 0, 4096, 0, now, 0, now, 0, now, 0);
    }

    /** umdevtap -o vde=SWITCH: the tun device (10:200), its TAP interfaces ports of SWITCH. */
    private static FileSystem tap(MountRequest request) throws ModuleException {
        String vdeSwitch = null;
        for (String option : request.options().split(",")) {
            if (option.startsWith("vde=") && option.length() > 4) {
                vdeSwitch = option.substring(4);
            } else if (!option.isEmpty()) {
                throw new ModuleException(Errno.EINVAL, "umdevtap: unknown option " + option + " (vde=SWITCH)");
            }
        }
        if (vdeSwitch == null) {
            throw new ModuleException(Errno.EINVAL, "umdevtap needs -o vde=SWITCH (a vde_switch directory or a vdeplug URL)");
        }
        FileAttributes device = deviceAttributes(FileAttributes.S_IFCHR, 10, 200, owner());
        return new TapDevice(vdeSwitch, new FileAttributes(device.device(), device.inode(), FileAttributes.S_IFCHR | 0666,
                device.links(), device.uid(), device.gid(), device.rdev(), 0, device.blockSize(), 0, device.atimeSeconds(), 0,
                device.mtimeSeconds(), 0, device.ctimeSeconds(), 0));
    }

    /** The user the supervisor runs as. */
    private static int owner() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        if (request.type().equals("umdevtap")) {
            return tap(request);
        }
        DeviceOptions options = DeviceOptions.parse(request);
        return switch (request.type()) {
            case "umdevnull" -> new Device(options.attributes(false, 1, 3, 0666, 0), new NullStorage());
            case "umdevramdisk" -> {
                long size = options.size();
                yield new Device(options.attributes(true, 1, 0, 0660, size), new RamStorage(size));
            }
            case "umdevmbr" -> partitioned(request, options);
            default -> throw new ModuleException(Errno.ENODEV, "umdev serves umdevnull, umdevramdisk, umdevmbr and umdevtap, not "
                    + request.type());
        };
    }

    /**
     * The image as a disk at TARGET and its partitions at TARGET1, TARGET2, ...: a device for
     * each number a table may use, there while the table has that partition.
     */
    private static FileSystem partitioned(MountRequest request, DeviceOptions options) throws ModuleException {
        Path image = Path.of(request.caller().cwd()).resolve(request.source()).normalize();
        boolean readOnly = (request.flags() & MountRequest.READ_ONLY) != 0;
        FileChannel channel;
        try {
            channel = readOnly ? FileChannel.open(image, StandardOpenOption.READ)
                    : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ModuleException(Errno.EACCES, "umdevmbr: cannot open " + image + (readOnly ? "" : " to read and write")
                    + ": " + e.getMessage());
        }
        Disk disk = new Disk(new FileStorage(channel));
        FileAttributes whole = options.attributes(true, 3, 0, 0660, 0);
        Map<String, FileSystem> partitions = new HashMap<>();
        int last = Math.max(PARTITION_DEVICES, disk.partitions().stream().mapToInt(PartitionTable.Slice::number).max().orElse(0));
        for (int number = 1; number <= last; number++) {
            partitions.put(request.target() + number, new Device(numbered(whole, number), disk.partition(number)));
        }
        return new Device(whole, disk, partitions);
    }

    /** The attributes of partition {@code number}: the disk's, with the minor number after it. */
    private static FileAttributes numbered(FileAttributes disk, int number) {
        return new FileAttributes(disk.device(), disk.inode() + number, disk.mode(), disk.links(), disk.uid(), disk.gid(),
                disk.rdev() + number, disk.size(), disk.blockSize(), disk.blocks(), disk.atimeSeconds(), disk.atimeNanos(),
                disk.mtimeSeconds(), disk.mtimeNanos(), disk.ctimeSeconds(), disk.ctimeNanos());
    }
}
