package org.umview.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.ModuleException;
import org.umview.module.SystemNames;
import org.umview.syscall.SyscallRequest;
import org.umview.view.View;

/** uname, sethostname and setdomainname, answered by the newest names mount the caller sees. */
final class NameCalls {
    static final List<String> CALLS = List.of("uname", "sethostname", "setdomainname");
    /** struct utsname: six fields of 65 bytes. */
    private static final int FIELD = 65;
    private static final int MAX_NAME = 64;

    private final View view;
    private final TraceeMemory memory;

    NameCalls(View view, TraceeMemory memory) {
        this.view = view;
        this.memory = memory;
    }

    Verdict decide(SyscallRequest request) {
        SystemNames names = namesFor(request);
        if (names == null) {
            return Verdict.CONTINUE;
        }
        try {
            switch (request.call().name()) {
                case "uname" -> {
                    byte[] utsname = new byte[6 * FIELD];
                    String[] fields = names.uname();
                    for (int i = 0; i < 6; i++) {
                        byte[] text = fields[i].getBytes(StandardCharsets.UTF_8);
                        System.arraycopy(text, 0, utsname, i * FIELD, Math.min(text.length, FIELD - 1));
                    }
                    memory.write(request.tid(), request.arg(0), utsname);
                }
                case "sethostname" -> names.setNodename(name(request));
                default -> names.setDomainname(name(request));
            }
            return Verdict.result(0);
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
    }

    private String name(SyscallRequest request) throws ModuleException {
        long length = request.arg(1);
        if (length < 0 || length > MAX_NAME) {
            throw new ModuleException(Errno.EINVAL);
        }
        return new String(memory.read(request.tid(), request.arg(0), (int) length), StandardCharsets.UTF_8);
    }

    private SystemNames namesFor(SyscallRequest request) {
        List<SystemNames> names = view.mounts().serving(SystemNames.class, view.of(request.process()), request.process().epoch());
        return names.isEmpty() ? null : names.get(0);
    }
}
