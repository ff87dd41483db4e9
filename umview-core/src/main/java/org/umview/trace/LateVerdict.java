package org.umview.trace;

import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.dispatch.Verdict;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemoryException;
import org.umview.syscall.SyscallRequest;

/** Verdicts that come late: what a module's work came to (or its failure means), and those dropped. */
final class LateVerdict {
    private static final Logger LOG = LoggerFactory.getLogger(LateVerdict.class);

    private LateVerdict() {
    }

    /** A verdict that will not be carried out (its call is not made as decided): what it prepared (an open file) is let go. */
    static void drop(Verdict verdict, int errno) {
        if (verdict instanceof Verdict.Rewrite rewrite && rewrite.then() != null) {
            rewrite.then().accept(-errno);
        } else if (verdict instanceof Verdict.Descriptor descriptor) {
            drop(descriptor.elsewhere(), errno);
        }
    }

    static Verdict of(Verdict done, Throwable failure, SyscallRequest request) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof TraceeMemoryException bad) {
            return Verdict.error(bad.errno()); // a bad pointer of the tracee's: EFAULT, as the kernel says
        }
        if (cause != null) {
            LOG.error("{} of tracee {} failed in a module", request.call().name(), request.tid(), cause);
            return Verdict.error(Errno.EIO);
        }
        return done;
    }
}
