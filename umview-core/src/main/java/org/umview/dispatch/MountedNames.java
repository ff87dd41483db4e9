package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.umview.memory.TraceeMemory;
import org.umview.process.ProcessState;
import org.umview.view.Mount;
import org.umview.view.View;
import org.umview.view.ViewNode;

/**
 * What mounts change in host directory listings: hiding mounts take names out; mounts on
 * paths the host does not have (a device on /dev/hda) add theirs.
 */
final class MountedNames {
    private final View view;

    MountedNames(View view) {
        this.view = view;
    }

    /** The names in host directory {@code dir} that a hiding mount seen by {@code process} removes. */
    Set<String> in(String dir, ProcessState process) {
        ViewNode node = view.of(process);
        Set<String> names = new HashSet<>();
        String prefix = dir.equals("/") ? "/" : dir + "/";
        for (Mount mount : view.mounts().visible(node)) {
            if (mount.epoch() > process.epoch()) {
                continue;
            }
            String target = mount.target();
            if (mount.fileSystem().hides() && target.startsWith(prefix) && target.indexOf('/', prefix.length()) < 0) {
                names.add(target.substring(prefix.length()));
            }
        }
        return names;
    }

    /**
     * The names of mounts seen by {@code process} right in host directory {@code dir} that the
     * host does not have there.
     */
    java.util.List<String> addedIn(String dir, ProcessState process) {
        ViewNode node = view.of(process);
        java.util.List<String> names = new java.util.ArrayList<>();
        String prefix = dir.equals("/") ? "/" : dir + "/";
        for (Mount mount : view.mounts().visible(node)) {
            String target = mount.target();
            if (mount.epoch() <= process.epoch() && !mount.fileSystem().hides() && target.startsWith(prefix)
                    && target.length() > prefix.length() && target.indexOf('/', prefix.length()) < 0
                    && !names.contains(target.substring(prefix.length()))
                    && !java.nio.file.Files.exists(java.nio.file.Path.of(target), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && there(mount)) {
                names.add(target.substring(prefix.length()));
            }
        }
        return names;
    }

    /** Whether the mount's root exists (a partition's device may not), when asking cannot wait. */
    private static boolean there(Mount mount) {
        if (mount.fileSystem().mayWaitOnTracees() || mount.fileSystem().hostPath("/") != null) {
            return true;
        }
        try {
            mount.fileSystem().stat("/", false);
            return true;
        } catch (org.umview.module.ModuleException e) {
            return e.errno() != org.umview.libc.Errno.ENOENT;
        }
    }

    /**
     * Adds records for {@code names} after the {@code length} bytes of linux_dirent64 records
     * at {@code buffer}, as far as {@code room} allows; returns the new length. Their type is
     * left unknown (finding it may wait on a module), so readers stat them.
     */
    static long append(TraceeMemory memory, int tid, long buffer, long length, long room, java.util.List<String> names) {
        if (length <= 0 || names.isEmpty()) {
            return length;
        }
        byte[] records = memory.read(tid, buffer, (int) length);
        ByteBuffer in = ByteBuffer.wrap(records).order(ByteOrder.LITTLE_ENDIAN);
        long lastOffset = 0;
        for (int at = 0; at + 19 < records.length; ) {
            int size = in.getShort(at + 16) & 0xffff;
            if (size == 0) {
                return length;
            }
            lastOffset = in.getLong(at + 8);
            at += size;
        }
        java.io.ByteArrayOutputStream added = new java.io.ByteArrayOutputStream();
        long inode = 0x7fff0000L;
        for (String name : names) {
            // Continuing from one of these continues after the host's records, as from the last of them.
            byte[] record = org.umview.syscall.StructLayouts.dirent64(
                    new org.umview.module.DirectoryEntry(name, inode++, org.umview.module.DirectoryEntry.DT_UNKNOWN), lastOffset);
            if (length + added.size() + record.length > room) {
                break;
            }
            added.writeBytes(record);
        }
        if (added.size() > 0) {
            memory.write(tid, buffer + length, added.toByteArray());
        }
        return length + added.size();
    }

    /**
     * Takes {@code hidden} out of the linux_dirent64 records the kernel put at {@code buffer};
     * returns the new length. A chunk of only hidden names reads as the end of the directory.
     */
    static long filter(TraceeMemory memory, int tid, long buffer, long length, Set<String> hidden) {
        if (length <= 0) {
            return length;
        }
        byte[] records = memory.read(tid, buffer, (int) length);
        ByteBuffer in = ByteBuffer.wrap(records).order(ByteOrder.LITTLE_ENDIAN);
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream(records.length);
        for (int at = 0; at + 19 < records.length; ) {
            int size = in.getShort(at + 16) & 0xffff;
            if (size == 0 || at + size > records.length) {
                return length; // not records as the kernel writes them: leave them be
            }
            int end = at + 19;
            while (end < at + size && records[end] != 0) {
                end++;
            }
            if (!hidden.contains(new String(records, at + 19, end - at - 19, StandardCharsets.UTF_8))) {
                kept.write(records, at, size);
            }
            at += size;
        }
        if (kept.size() != records.length) {
            memory.write(tid, buffer, kept.toByteArray());
        }
        return kept.size();
    }
}
