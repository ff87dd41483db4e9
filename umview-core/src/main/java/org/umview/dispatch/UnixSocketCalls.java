package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.path.PathException;
import org.umview.path.PathResolver;
import org.umview.path.Resolved;
import org.umview.process.ProcStatus;
import org.umview.syscall.SyscallRequest;
import org.umview.view.View;
import org.umview.vfs.SpecialFiles;
import org.umview.vfs.VfsRules;

/**
 * bind and connect of Unix sockets named by a path in a mount. A mount that maps paths to the
 * host has them rewritten as any path. In a served file system, bind makes the socket node
 * there (as the kernel makes it in the file system the path is on) while the kernel binds the
 * socket in a directory of the supervisor's; a connect to that node, by any path, is a
 * connect to that socket. Nothing appears where the caller's path would lead on the host.
 */
final class UnixSocketCalls {
    static final Set<String> CALLS = Set.of("bind", "connect");
    private static final int AF_UNIX = 1;
    private static final int SUN_PATH_OFFSET = 2;
    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int AT_FDCWD = -100;

    private final View view;
    private final TraceeMemory memory;
    private final PathResolver resolver;
    private final ModuleWork work;
    private final SpecialFiles specials;

    UnixSocketCalls(View view, TraceeMemory memory, PathResolver resolver, ModuleWork work, SpecialFiles specials) {
        this.specials = specials;
        this.view = view;
        this.memory = memory;
        this.resolver = resolver;
        this.work = work;
    }

    Verdict decide(SyscallRequest request) {
        long length = request.arg(2);
        if (view.mounts().isEmpty() || length <= SUN_PATH_OFFSET + 1 || length > SOCKADDR_UN_SIZE) {
            return Verdict.CONTINUE;
        }
        byte[] address;
        try {
            address = memory.read(request.tid(), request.arg(1), (int) length);
        } catch (RuntimeException e) {
            return Verdict.CONTINUE; // the kernel answers EFAULT
        }
        ByteBuffer in = ByteBuffer.wrap(address).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getShort(0) != AF_UNIX || address[SUN_PATH_OFFSET] == 0) {
            return Verdict.CONTINUE; // another family, or an abstract name
        }
        int end = SUN_PATH_OFFSET;
        while (end < address.length && address[end] != 0) {
            end++;
        }
        String path = new String(address, SUN_PATH_OFFSET, end - SUN_PATH_OFFSET, StandardCharsets.UTF_8);
        boolean binding = request.call().name().equals("bind");
        Resolved where;
        try {
            where = resolver.resolve(request.tid(), request.tgid(), request.process(), AT_FDCWD, path, !binding,
                    request.process().epoch());
        } catch (PathException e) {
            return Verdict.error(e.errno());
        }
        if (!where.virtual()) {
            return where.throughMount() ? at(where.path(), null) : Verdict.CONTINUE;
        }
        FileSystem fs = where.mount().fileSystem();
        try {
            String host = fs.hostPath(where.inMount(), binding ? FileSystem.Use.CHANGE : FileSystem.Use.LOOK);
            if (host != null) {
                return at(host, null);
            }
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
        if (fs.readOnly() && binding) {
            return Verdict.error(Errno.EROFS);
        }
        return work.answer(fs, () -> {
            try {
                return binding ? bind(request, fs, where) : connect(fs, where);
            } catch (ModuleException e) {
                return Verdict.error(e.errno());
            }
        });
    }

    private Verdict bind(SyscallRequest request, FileSystem fs, Resolved where) throws ModuleException {
        try {
            VfsRules.beforeCreate(fs, where);
        } catch (ModuleException e) {
            throw e.errno() == Errno.EEXIST ? new ModuleException(Errno.EADDRINUSE) : e;
        }
        fs.mknod(where.inMount(), FileAttributes.S_IFSOCK | (0777 & ~ProcStatus.umask(request.tid())), 0);
        FileAttributes node = fs.stat(where.inMount(), false);
        String host = specials.bind(node);
        return at(host, result -> {
            if (result < 0) {
                specials.unbound(node, host);
                work.later(fs, () -> fs.unlink(where.inMount()));
            }
        });
    }

    private Verdict connect(FileSystem fs, Resolved where) throws ModuleException {
        FileAttributes node = fs.stat(where.inMount(), true);
        String host = (node.mode() & FileAttributes.S_IFMT) == FileAttributes.S_IFSOCK ? specials.socket(node) : null;
        if (host == null) {
            throw new ModuleException(Errno.ECONNREFUSED); // a socket node no socket of the view is bound to
        }
        return at(host, null);
    }

    /** The call made with {@code host} as its address; {@code then} sees its result. */
    private static Verdict at(String host, java.util.function.LongConsumer then) {
        byte[] name = host.getBytes(StandardCharsets.UTF_8);
        if (name.length + 1 > SOCKADDR_UN_SIZE - SUN_PATH_OFFSET) {
            return Verdict.error(Errno.ENAMETOOLONG);
        }
        byte[] address = new byte[SUN_PATH_OFFSET + name.length + 1];
        ByteBuffer.wrap(address).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_UNIX);
        System.arraycopy(name, 0, address, SUN_PATH_OFFSET, name.length);
        return Verdict.replace(Verdict.SAME_CALL, List.of(new Verdict.ArgumentChange(1, 0, address),
                Verdict.ArgumentChange.value(2, address.length)), then != null ? then : result -> { });
    }
}
