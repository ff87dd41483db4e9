package org.umview.dispatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.umview.libc.Links;
import org.umview.module.ConnectedFile;
import org.umview.module.MountCaller;
import org.umview.module.OpenFile;
import org.umview.net.SocketTable;
import org.umview.process.ProcStatus;
import org.umview.process.Service;
import org.umview.process.VirtualFile;
import org.umview.syscall.SyscallRequest;
import org.umview.view.ViewNode;

/** The traced process making a mount(2), for the module serving it. */
final class TraceeCaller implements MountCaller {
    private final SyscallRequest request;
    private final ControlChannel.ViewControl control;
    private final ViewNode view;
    private final long serviceEpoch;
    private final SocketTable<ConnectedFile> connected;

    /** {@code serviceEpoch}: what programs serving the mount see ({@link org.umview.view.View#serviceEpoch}). */
    TraceeCaller(SyscallRequest request, ControlChannel.ViewControl control, ViewNode view, long serviceEpoch,
            SocketTable<ConnectedFile> connected) {
        this.connected = connected;
        this.request = request;
        this.control = control;
        this.view = view;
        this.serviceEpoch = serviceEpoch;
    }

    @Override
    public OpenFile openFile(int fd) {
        VirtualFile file = request.process().files().get(fd);
        return file != null ? file.file() : connected.of(request.tid(), fd);
    }

    @Override
    public String cwd() {
        String virtual = request.process().fs().virtualCwd();
        if (virtual != null) {
            return virtual;
        }
        String cwd = Links.readlink("/proc/" + request.tid() + "/cwd");
        return cwd != null ? cwd : "/";
    }

    @Override
    public int uid() {
        return ProcStatus.uid(request.tid());
    }

    @Override
    public int gid() {
        return ProcStatus.gid(request.tid());
    }

    @Override
    public CompletableFuture<Integer> serve() {
        Service service = request.process().service();
        if (service == null) {
            service = new Service(serviceEpoch);
            service.processStarted();
            request.process().serve(service);
        }
        return service.ended();
    }

    @Override
    public Runnable serviceStopper() {
        Service service = request.process().service();
        return service == null ? () -> { } : () -> control.stopService(service);
    }

    @Override
    public CompletableFuture<Integer> start(List<String> command) {
        Service service = new Service(serviceEpoch);
        return control.startService(request.tgid(), view, command, service).thenCompose(pid -> service.ended());
    }
}
