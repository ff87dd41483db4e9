package org.umview.dispatch;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.umview.view.Mount;
import org.umview.view.View;
import org.umview.view.ViewNode;

/**
 * /proc/PID/mounts and /proc/PID/mountinfo as a process in the view reads them: the host's
 * mounts, then the view's, so that findmnt, df and umount(8) see both.
 */
final class MountListings {
    private static final Pattern LISTING = Pattern.compile("/proc/(\\d+)(?:/task/\\d+)?/(mounts|mountinfo)");
    private static final int FIRST_ID = 100000;
    private static final int FIRST_MINOR = 200;

    private final View view;
    private final Mount proc;

    MountListings(View view, Mount proc) {
        this.view = view;
        this.proc = proc;
    }

    /** The listing a canonical path names for a process of {@code node}, or null if it names none. */
    Listing listing(String path, ViewNode node) {
        Matcher m = LISTING.matcher(path);
        if (!m.matches() || view.mounts().isEmpty()) {
            return null;
        }
        return new Listing(path, m.group(2).equals("mountinfo"), node);
    }

    /** One listing, its text made when it is read from its start. */
    final class Listing extends ProcFile {
        private final boolean info;
        private final ViewNode node;

        Listing(String path, boolean info, ViewNode node) {
            super(path, proc);
            this.info = info;
            this.node = node;
        }

        @Override
        boolean announcesChanges() {
            return true;
        }

        @Override
        String text(String host) {
            StringBuilder text = new StringBuilder(host);
            List<Mount> mounts = view.mounts().visible(node).stream().filter(Mount::listed).toList();
            String rootId = rootMountId(host);
            for (int i = 0; i < mounts.size(); i++) {
                Mount mount = mounts.get(i);
                String options = mount.options().isEmpty() ? "rw" : "rw," + mount.options();
                if (info) {
                    text.append(FIRST_ID + i).append(' ').append(rootId).append(" 0:").append(FIRST_MINOR + i)
                            .append(" / ").append(escape(mount.target())).append(" rw,relatime - ")
                            .append(mount.type()).append(' ').append(escape(mount.source())).append(' ').append(options).append('\n');
                } else {
                    text.append(escape(mount.source())).append(' ').append(escape(mount.target())).append(' ')
                            .append(mount.type()).append(' ').append(options).append(" 0 0\n");
                }
            }
            return text.toString();
        }

        private String rootMountId(String host) {
            if (!info) {
                return "";
            }
            for (String line : host.split("\n")) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && fields[4].equals("/")) {
                    return fields[0];
                }
            }
            return "1";
        }
    }

    /* The kernel escapes space, tab, newline and backslash as octal in these files. */
    private static String escape(String text) {
        return text.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
    }
}
