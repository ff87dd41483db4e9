package org.umview.umdev;

import java.util.HashMap;
import java.util.Map;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/** mode=, uid=, gid=, major=, minor=, chr|blk and size= of a device mount. */
final class DeviceOptions {
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private final Map<String, String> values = new HashMap<>();
    private final int callerUid;
    private final int callerGid;

    private DeviceOptions(int uid, int gid) {
        this.callerUid = uid;
        this.callerGid = gid;
    }

    static DeviceOptions parse(MountRequest request) throws ModuleException {
        DeviceOptions options = new DeviceOptions(request.caller().uid(), request.caller().gid());
        for (String option : request.options().split(",")) {
            if (option.isEmpty()) {
                continue;
            }
            int equals = option.indexOf('=');
            String key = equals < 0 ? option : option.substring(0, equals);
            if (!java.util.List.of("mode", "uid", "gid", "major", "minor", "chr", "blk", "size", "rw").contains(key)) {
                throw new ModuleException(Errno.EINVAL, "umdev: unknown option " + option
                        + " (mode= uid= gid= major= minor= chr blk size=)");
            }
            options.values.put(key, equals < 0 ? "" : option.substring(equals + 1));
        }
        return options;
    }

    private long number(String key, long otherwise, int radix) throws ModuleException {
        String value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(value, radix);
        } catch (NumberFormatException e) {
            throw new ModuleException(Errno.EINVAL, "umdev: " + key + "=" + value + " is not a number");
        }
    }

    /** size=N with an optional k, M or G. */
    long size() throws ModuleException {
        String value = values.get("size");
        if (value == null || value.isEmpty()) {
            throw new ModuleException(Errno.EINVAL, "umdevramdisk needs -o size=N[kMG]");
        }
        long unit = switch (Character.toUpperCase(value.charAt(value.length() - 1))) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? value : value.substring(0, value.length() - 1);
        try {
            long size = Long.parseLong(digits) * unit;
            if (size <= 0 || size % 512 != 0) {
                throw new ModuleException(Errno.EINVAL, "umdevramdisk: size must be a positive multiple of 512");
            }
            return size;
        } catch (NumberFormatException e) {
            throw new ModuleException(Errno.EINVAL, "umdevramdisk: size=" + value + " is not a size");
        }
    }

    FileAttributes attributes(boolean block, long major, long minor, int mode, long size) throws ModuleException {
        boolean isBlock = values.containsKey("blk") || (block && !values.containsKey("chr"));
        int type = isBlock ? S_IFBLK : S_IFCHR;
        long rdev = (number("major", major, 10) << 8) | number("minor", minor, 10);
        long now = System.currentTimeMillis() / 1000;
        return new FileAttributes(6, rdev, type | (int) (number("mode", mode, 8) & 07777), 1,
                (int) number("uid", callerUid, 10), (int) number("gid", callerGid, 10), rdev, 0, 4096, 0,
                now, 0, now, 0, now, 0);
    }
}
