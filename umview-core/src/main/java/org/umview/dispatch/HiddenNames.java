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

/** The names that hiding mounts take out of host directory listings. */
final class HiddenNames {
    private final View view;

    HiddenNames(View view) {
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
