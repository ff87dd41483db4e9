package org.umview.process;

import java.util.List;
import org.umview.module.DirectoryEntry;
import org.umview.module.OpenFile;
import org.umview.view.Mount;

/**
 * An open file description served by a module: what dup'ed and inherited descriptors share
 * (offset, status flags), as the kernel's struct file is. The module's file is closed when the
 * last descriptor goes.
 */
public final class VirtualFile {
    /** What a virtual descriptor really is in the tracee: a descriptor of this file. */
    public static final String PLACEHOLDER = "/dev/null";

    /**
     * Whether {@code link}, what /proc/PID/fd/N says, can be a placeholder: {@link #PLACEHOLDER},
     * or the Unix socket of a served file whose changes poll (a mount listing).
     */
    public static boolean placeholderLink(String link) {
        return link != null && (link.equals(PLACEHOLDER) || link.startsWith("socket:["));
    }

    private final Mount mount;
    private final String path;
    private final OpenFile file;
    private int flags;
    private long offset;
    private boolean written;
    private int references = 1;
    private List<DirectoryEntry> listing;

    public VirtualFile(Mount mount, String path, OpenFile file, int flags) {
        this.mount = mount;
        this.path = path;
        this.file = file;
        this.flags = flags;
        mount.fileOpened();
    }

    public Mount mount() {
        return mount;
    }

    /** The path in the view, absolute. */
    public String path() {
        return path;
    }

    public OpenFile file() {
        return file;
    }

    public synchronized int flags() {
        return flags;
    }

    public synchronized void setFlags(int flags) {
        this.flags = flags;
    }

    /**
     * Whether this is the first write through this open file: where permissions are enforced
     * it is the one that takes set-user-ID away from a file another user writes.
     */
    public synchronized boolean firstWrite() {
        boolean first = !written;
        written = true;
        return first;
    }

    public synchronized long offset() {
        return offset;
    }

    public synchronized void setOffset(long offset) {
        this.offset = offset;
    }

    /** The directory listing read once per open, so that getdents64 offsets stay stable. */
    public synchronized List<DirectoryEntry> listing(ListingSource source) throws org.umview.module.ModuleException {
        if (listing == null || offset == 0) {
            listing = source.list();
        }
        return listing;
    }

    /** The placeholder could not be made: the open never happened for the tracee. */
    public synchronized void abandon() {
        release();
    }

    /** One more holder that is no descriptor (a loop device's file): the file stays open until {@link #letGo}. */
    public void keep() {
        retain();
    }

    public void letGo() {
        release();
    }

    synchronized void retain() {
        references++;
    }

    synchronized void release() {
        if (--references == 0) {
            file.close();
            mount.fileClosed();
        }
    }

    /** Where a listing comes from: the module's file. */
    @FunctionalInterface
    public interface ListingSource {
        List<DirectoryEntry> list() throws org.umview.module.ModuleException;
    }
}
