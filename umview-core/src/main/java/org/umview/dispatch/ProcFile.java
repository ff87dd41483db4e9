package org.umview.dispatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;
import org.umview.view.Mount;
import org.umview.view.View;

/**
 * A /proc file the view serves as a process in it reads it (its mounts, its status): the host's
 * text, changed, made when it is read from its start. Only opens are served; other calls see the host's /proc.
 */
abstract class ProcFile {
    private final String path;
    private final Mount proc;

    ProcFile(String path, Mount proc) {
        this.path = path;
        this.proc = proc;
    }

    /** Stands for /proc while such a file is open: it is never in the mount table. */
    static Mount standIn(View view) {
        return new Mount("/proc", "proc", "proc", "", null, new FileSystem() {
        }, 0, view.root());
    }

    String path() {
        return path;
    }

    Mount mount() {
        return proc;
    }

    /** The file's text as the process is to read it, from the host's. */
    abstract String text(String host) throws ModuleException;

    /** Whether the kernel's file tells pollers that it changed (POLLPRI), as /proc/PID/mounts does. */
    boolean announcesChanges() {
        return false;
    }

    Opened open() throws ModuleException {
        try {
            return new Opened(((Number) Files.getAttribute(Path.of(path), "unix:dev")).longValue(),
                    ((Number) Files.getAttribute(Path.of(path), "unix:ino")).longValue());
        } catch (IOException e) {
            throw new ModuleException(Errno.ENOENT);
        }
    }

    /** An open of the file: its text made anew at each read from the start, as the kernel's seq_file makes it. */
    final class Opened implements OpenFile {
        private final long device;
        private final long inode;
        private byte[] text;
        private MountChangeSignals.Signal signal;

        private Opened(long device, long inode) {
            this.device = device;
            this.inode = inode;
        }

        /** The file's changes are told through {@code signal} (null: never). */
        synchronized void signalledBy(MountChangeSignals.Signal signal) {
            this.signal = signal;
        }

        @Override
        public synchronized int read(ByteBuffer into, long offset) throws ModuleException {
            if (offset == 0 || text == null) {
                try {
                    text = text(Files.readString(Path.of(path))).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new ModuleException(Errno.ESRCH); // its process is gone
                }
                if (signal != null) {
                    signal.taken();
                }
            }
            return OpenFile.readFrom(text, into, offset);
        }

        @Override
        public FileAttributes stat() {
            // As every /proc file: a regular file of size 0, read to its end.
            return new FileAttributes(device, inode, FileAttributes.S_IFREG | 0444, 1, 0, 0, 0, 0, 1024, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public synchronized void close() {
            if (signal != null) {
                signal.close();
            }
        }
    }
}
