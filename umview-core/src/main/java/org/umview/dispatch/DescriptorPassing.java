package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.process.FdTable;
import org.umview.syscall.SyscallRequest;

/** sendmsg and sendmmsg that would pass a virtual descriptor over a Unix socket (SCM_RIGHTS): refused. */
final class DescriptorPassing {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorPassing.class);
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MMSGHDR = 64;
    private static final int MAX_MESSAGES = 1024;
    private final TraceeMemory memory;

    DescriptorPassing(TraceeMemory memory) {
        this.memory = memory;
    }

    Verdict sendmsg(SyscallRequest request) {
        return passesVirtual(request, request.process().files(), request.arg(1)) ? refusePassing(request) : Verdict.CONTINUE;
    }

    Verdict sendmmsg(SyscallRequest request) {
        for (int i = 0; i < Math.min(request.arg(2), MAX_MESSAGES); i++) {
            if (passesVirtual(request, request.process().files(), request.arg(1) + (long) MMSGHDR * i)) {
                return refusePassing(request);
            }
        }
        return Verdict.CONTINUE;
    }

    /** Whether the struct msghdr at {@code header} passes a virtual descriptor (SCM_RIGHTS). */
    private boolean passesVirtual(SyscallRequest request, FdTable files, long header) {
        ByteBuffer msghdr = ByteBuffer.wrap(memory.read(request.tid(), header, 56)).order(ByteOrder.LITTLE_ENDIAN);
        long control = msghdr.getLong(32);
        int controlLength = (int) Math.min(msghdr.getLong(40), 1 << 16);
        if (control == 0 || controlLength < 16) {
            return false;
        }
        ByteBuffer cmsgs = ByteBuffer.wrap(memory.read(request.tid(), control, controlLength)).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 16 <= controlLength; ) {
            long length = cmsgs.getLong(at);
            if (length < 16 || at + length > controlLength) {
                break;
            }
            if (cmsgs.getInt(at + 8) == SOL_SOCKET && cmsgs.getInt(at + 12) == SCM_RIGHTS) {
                for (int fd = at + 16; fd + 4 <= at + length; fd += 4) {
                    if (files.get(cmsgs.getInt(fd)) != null) {
                        return true;
                    }
                }
            }
            at += (int) ((length + 7) & ~7L);
        }
        return false;
    }

    /* The receiver would get the placeholder, not the file: better a clear refusal. */
    private static Verdict refusePassing(SyscallRequest request) {
        LOG.warn("process {}: passing a virtual descriptor over a Unix socket is not supported", request.tgid());
        return Verdict.error(Errno.EOPNOTSUPP);
    }
}
