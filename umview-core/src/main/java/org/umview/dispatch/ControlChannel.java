package org.umview.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.syscall.SyscallRequest;
import org.umview.view.Mount;
import org.umview.view.View;
import org.umview.view.ViewNode;

/**
 * The virtual system call by which the in-view commands talk to their supervisor. Its number
 * is unassigned by Linux, so outside a view the kernel answers ENOSYS: that is how a command
 * knows it is not inside umview, without starting a JVM.
 *
 * <p>{@code syscall(UMVIEW_CONTROL, op, input, flags, reply, replySize)}: input is a string,
 * the reply a NUL-terminated text (the answer, or on failure the error message); the result is
 * 0, or -errno.
 */
public final class ControlChannel {
    /** Far above any Linux call number, below the x32 bit: never a real call. */
    public static final int SYSCALL_NUMBER = 0x7a55;
    public static final int PROTOCOL_VERSION = 1;

    static final int OP_PROBE = 0;
    static final int OP_ADD_SERVICE = 1;
    static final int OP_DEL_SERVICE = 2;
    static final int OP_LS_SERVICE = 3;
    static final int OP_FSALIAS = 4;
    static final int OP_VIEW_INFO = 5;
    static final int OP_SET_VIEW_NAME = 6;
    static final int OP_SHUTDOWN = 7;
    static final int OP_SPLIT_VIEW = 8;
    static final int OP_SET_IDENTITY = 9;
    /** The shim announces the listener of its filter: the tracer takes it; it never reaches {@link #serve}. */
    public static final int OP_LISTENER = 10;
    static final int OP_SET_STACK = 11;
    /** The module whose uid virtualization viewsu and viewsudo use. */
    private static final String IDENTITY_MODULE = "ummisc";
    private static final int MAX_INPUT = 4096;

    private final View view;
    private final TraceeMemory memory;
    private final ViewControl control;

    /** What the control channel asks of the rest of the supervisor. */
    public interface ViewControl {
        /** The loaded modules may need more calls trapped: propagate to every process. */
        void trapsChanged();

        /** The process of thread {@code tid} opened {@code fd} on a directory a mount lies under: trap calls relative to it. */
        void trapDirfd(int tid, int fd);

        /** Descriptor {@code fd} of the process of thread {@code tid} is virtual now: trap the calls on it. */
        void trapDescriptor(int tid, int fd);

        /** The process of thread {@code tid} made a writable shared map of a virtual file: trap the calls that end one. */
        void trapMaps(int tid);

        /** Whether a traced process has its working directory (a served one) at {@code path} or below. */
        boolean cwdWithin(String path);

        /** The state of traced process (or thread) {@code pid}, or null if it is none. */
        org.umview.process.ProcessState process(int pid);

        /** Whether {@code pid} is a process (or thread) of this supervisor's views. */
        boolean inView(int pid);

        /** The process of the view that traces thread {@code tid} (a debugger: strace, gdb), or 0. */
        int tracerOf(int tid);

        /** Whether thread {@code tid} is stopped for its debugger in the view. */
        boolean stoppedForTracer(int tid);

        /** TERM every process of {@code view} and its sub-views, KILL those left after {@code graceSeconds}. */
        void shutdown(ViewNode view, int graceSeconds);

        /**
         * Starts {@code command} in {@code view} as part of {@code service}, with the standard
         * descriptors of process {@code callerTgid}. Called off the tracer thread; completes with
         * the new process id once it is traced.
         */
        java.util.concurrent.CompletableFuture<Integer> startService(int callerTgid, ViewNode view,
                java.util.List<String> command, org.umview.process.Service service);

        /** SIGTERM to every process of {@code service}; from any thread. */
        void stopService(org.umview.process.Service service);
    }

    ControlChannel(View view, TraceeMemory memory, ViewControl control) {
        this.view = view;
        this.memory = memory;
        this.control = control;
    }

    Verdict serve(SyscallRequest request) {
        int op = (int) request.arg(0);
        if (op == OP_PROBE) {
            return Verdict.result(PROTOCOL_VERSION);
        }
        String input = request.arg(1) == 0 ? "" : memory.readString(request.tid(), request.arg(1), MAX_INPUT);
        if (input == null) {
            return reply(request, Errno.E2BIG, "request too long");
        }
        ViewNode node = view.of(request.process());
        try {
            String answer = switch (op) {
                case OP_ADD_SERVICE -> addService(input);
                case OP_DEL_SERVICE -> {
                    view.unload(input.strip());
                    yield "";
                }
                case OP_LS_SERVICE -> listServices();
                case OP_FSALIAS -> fsAlias(input);
                case OP_VIEW_INFO -> ProcessHandle.current().pid() + "\n" + node.id() + "\n" + node.name() + "\n";
                case OP_SET_VIEW_NAME -> {
                    node.setName(input);
                    yield "";
                }
                case OP_SHUTDOWN -> shutdown(node, input);
                case OP_SET_IDENTITY -> setIdentity(request, input);
                case OP_SET_STACK -> setStack(request, node, input);
                case OP_SPLIT_VIEW -> {
                    ViewNode inner = view.split(node, input.isEmpty() ? node.name() : input);
                    request.process().enter(inner);
                    yield Integer.toString(inner.id());
                }
                default -> throw new ModuleException(Errno.EINVAL, "unknown control operation " + op);
            };
            return reply(request, 0, answer);
        } catch (ModuleException e) {
            return reply(request, e.errno(), e.getMessage());
        }
    }

    private String addService(String input) throws ModuleException {
        String name = input.split(",", 2)[0].strip();
        if (name.isEmpty()) {
            throw new ModuleException(Errno.EINVAL, "no module named");
        }
        view.load(name);
        control.trapsChanged();
        return "";
    }

    /** viewsu/viewsudo: "UID GID" for the caller and the children it makes; the identity module is loaded if it is not. */
    private String setIdentity(SyscallRequest request, String input) throws ModuleException {
        String[] words = input.strip().split("\\s+");
        int uid;
        int gid;
        try {
            uid = Integer.parseInt(words[0]);
            gid = Integer.parseInt(words[1]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new ModuleException(Errno.EINVAL, "usage: UID GID");
        }
        if (uid < 0 || gid < 0) {
            throw new ModuleException(Errno.EINVAL, "ids are not negative");
        }
        if (!view.claimed().identity()) {
            view.load(IDENTITY_MODULE);
            control.trapsChanged();
        }
        request.process().setIdentity(uid, gid);
        return "";
    }

    /** mstack: "STACK\nPROTOCOLS"; the caller (and what it runs) makes its sockets of those families in STACK. */
    private String setStack(SyscallRequest request, ViewNode node, String input) throws ModuleException {
        String[] lines = input.split("\n", 2);
        String path = java.nio.file.Path.of(lines[0]).normalize().toString();
        Mount stack = view.mounts().find(path, request.process().epoch(), node);
        if (stack == null || !stack.target().equals(path) || !(stack.fileSystem() instanceof org.umview.module.NetworkStack)) {
            throw new ModuleException(Errno.ENOENT, path + " is no network stack (mount -t umnetnull none " + path + ")");
        }
        request.process().chooseStack(stack, families(lines.length > 1 ? lines[1].strip() : ""));
        return "";
    }

    /** mstack -o: ipv4, ipv6, packet, netlink or all (the default). */
    private static java.util.Set<Integer> families(String protocols) throws ModuleException {
        java.util.Set<Integer> families = new java.util.HashSet<>();
        for (String protocol : (protocols.isEmpty() ? "all" : protocols).split(",")) {
            switch (protocol.strip()) {
                case "ipv4" -> families.add(org.umview.module.SocketAddress.AF_INET);
                case "ipv6" -> families.add(org.umview.module.SocketAddress.AF_INET6);
                case "packet" -> families.add(org.umview.net.SocketAddresses.AF_PACKET);
                case "netlink" -> families.add(org.umview.net.SocketAddresses.AF_NETLINK);
                case "all" -> families.addAll(java.util.List.of(org.umview.module.SocketAddress.AF_INET,
                        org.umview.module.SocketAddress.AF_INET6, org.umview.net.SocketAddresses.AF_PACKET,
                        org.umview.net.SocketAddresses.AF_NETLINK));
                default -> throw new ModuleException(Errno.EINVAL, "unknown protocol " + protocol
                        + " (ipv4, ipv6, packet, netlink, all)");
            }
        }
        return families;
    }

    private String listServices() {
        StringBuilder out = new StringBuilder();
        if (view.modules().isEmpty()) {
            out.append("no module is loaded in this view (um_add_service MODULE loads one)\n");
        } else {
            out.append("module: description [what it serves]\n");
        }
        for (Module module : view.modules()) {
            out.append(module.name()).append(": ").append(module.description());
            if (module.claims().fileSystems()) {
                out.append(" [file systems: ").append(module.name()).append("*]");
            }
            out.append('\n');
        }
        view.aliases().forEach((alias, type) -> out.append("alias ").append(alias).append(" -> ").append(type).append('\n'));
        return out.toString();
    }

    private String fsAlias(String input) throws ModuleException {
        String[] words = input.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new ModuleException(Errno.EINVAL, "usage: um_fsalias ALIAS [FSTYPE]");
        }
        view.alias(words[0], words.length > 1 ? words[1] : null);
        return "";
    }

    private String shutdown(ViewNode node, String input) throws ModuleException {
        try {
            control.shutdown(node, Integer.parseInt(input.strip()));
            return "";
        } catch (NumberFormatException e) {
            throw new ModuleException(Errno.EINVAL, "not a number of seconds: " + input);
        }
    }

    private Verdict reply(SyscallRequest request, int errno, String text) {
        long size = request.arg(4);
        if (request.arg(3) != 0 && size > 0) {
            byte[] bytes = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
            byte[] out = Arrays.copyOf(bytes, (int) Math.min(bytes.length + 1, size));
            out[out.length - 1] = 0;
            memory.write(request.tid(), request.arg(3), out);
        }
        return errno == 0 ? Verdict.result(0) : Verdict.error(errno);
    }
}
