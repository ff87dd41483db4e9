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
 * text, changed, made when it is opened. Only opens are served; other calls see the host's /proc.
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

    OpenFile open() throws ModuleException {
        String host;
        long device;
        long inode;
        try {
            host = Files.readString(Path.of(path));
            device = ((Number) Files.getAttribute(Path.of(path), "unix:dev")).longValue();
            inode = ((Number) Files.getAttribute(Path.of(path), "unix:ino")).longValue();
        } catch (IOException e) {
            throw new ModuleException(Errno.ENOENT);
        }
        byte[] bytes = text(host).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new OpenFile() {
            @Override
            public int read(ByteBuffer into, long offset) {
                return OpenFile.readFrom(bytes, into, offset);
            }

            @Override
            public FileAttributes stat() {
                // As every /proc file: a regular file of size 0, read to its end.
                return new FileAttributes(device, inode, FileAttributes.S_IFREG | 0444, 1, 0, 0, 0, 0, 1024, 0, 0, 0, 0, 0, 0, 0);
            }
        };
    }
}
