package org.umview.dispatch;

import java.nio.charset.StandardCharsets;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.ModuleException;
import org.umview.process.VirtualFile;
import org.umview.syscall.SyscallRequest;

/** fchdir and getcwd where a working directory may be in a served file system, which the kernel does not know. */
final class CwdCalls {
    private static final int ERANGE = 34;
    private final TraceeMemory memory;
    private final ModuleWork work;

    CwdCalls(TraceeMemory memory, ModuleWork work) {
        this.memory = memory;
        this.work = work;
    }

    Verdict fchdir(SyscallRequest request) {
        VirtualFile file = request.process().files().get((int) request.arg(0));
        return file == null ? fchdir(request, null) : work.answer(file.mount().fileSystem(), () -> fchdir(request, file));
    }

    private Verdict fchdir(SyscallRequest request, VirtualFile file) {
        if (file == null) {
            if (request.process().fs().virtualCwd() == null) {
                return Verdict.CONTINUE;
            }
            return Verdict.watch(result -> {
                if (result == 0) {
                    request.process().fs().setVirtualCwd(null);
                }
            });
        }
        try {
            if (!file.file().stat().isDirectory()) {
                return Verdict.error(Errno.ENOTDIR);
            }
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
        request.process().fs().setVirtualCwd(file.path());
        return Verdict.result(0);
    }

    Verdict getcwd(SyscallRequest request) {
        String cwd = request.process().fs().virtualCwd();
        if (cwd == null) {
            return Verdict.CONTINUE;
        }
        byte[] text = (cwd + "\0").getBytes(StandardCharsets.UTF_8);
        if (request.arg(1) < text.length) {
            return Verdict.error(ERANGE);
        }
        memory.write(request.tid(), request.arg(0), text);
        return Verdict.result(text.length);
    }
}
