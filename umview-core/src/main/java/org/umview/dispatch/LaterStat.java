package org.umview.dispatch;

import java.util.concurrent.CompletableFuture;
import org.umview.memory.TraceeMemory;
import org.umview.module.FileAttributes;
import org.umview.syscall.StructLayouts;
import org.umview.syscall.SyscallRequest;

/**
 * A stat answered when a module's reply comes, with no thread waiting for it ({@link
 * org.umview.module.FileSystem#statLater}, {@link org.umview.module.OpenFile#statLater}): the
 * struct stat (or statx) is written where the call asked, and a signal for the caller gives
 * the wait up with EINTR.
 */
final class LaterStat {
    private LaterStat() {
    }

    /**
     * The verdict for {@code request}, whose buffer is argument {@code buffer}; null if {@code
     * attributes} is. A symlink out of the file system is followed the slow way ({@code slowWay}).
     */
    static Verdict of(TraceeMemory memory, SyscallRequest request, int buffer, CompletableFuture<FileAttributes> attributes,
            java.util.function.Supplier<Verdict> slowWay) {
        if (attributes == null) {
            return null;
        }
        boolean statx = request.call().name().equals("statx");
        return ModuleWork.whenAnswered(attributes, slowWay, found -> {
            memory.write(request.tid(), request.arg(buffer), statx ? StructLayouts.statx(found) : StructLayouts.stat(found));
            return Verdict.result(0);
        });
    }
}
