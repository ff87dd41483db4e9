package org.umview.view;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.umview.module.MountCaller;
import org.umview.module.OpenFile;
import org.umview.process.ProcStatus;

/** umview itself, making mounts before the view starts: no descriptors, no programs of its own. */
final class StartCaller implements MountCaller {
    private final int self = (int) ProcessHandle.current().pid();

    @Override
    public OpenFile openFile(int fd) {
        return null;
    }

    @Override
    public String cwd() {
        return System.getProperty("user.dir");
    }

    @Override
    public int uid() {
        return ProcStatus.uid(self);
    }

    @Override
    public int gid() {
        return ProcStatus.gid(self);
    }

    @Override
    public CompletableFuture<Integer> serve() {
        throw new UnsupportedOperationException("umview itself serves no mount");
    }

    @Override
    public Runnable serviceStopper() {
        throw new UnsupportedOperationException("umview itself serves no mount");
    }

    @Override
    public CompletableFuture<Integer> start(List<String> command) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("mounts that start programs are made in the view"));
    }
}
