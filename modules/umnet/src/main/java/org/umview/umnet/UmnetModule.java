package org.umview.umnet;

import jnr.constants.platform.Errno;
import org.umview.module.Claims;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * umnet: network stacks, mounted as {@code mount -t umnetXXX none /dev/net/NAME} and made a
 * process's default with {@code mstack}. {@code umnetnull} has its own loopback and nothing
 * else; {@code umnetcurrent} is the host's stack.
 */
public final class UmnetModule implements Module {
    @Override
    public String name() {
        return "umnet";
    }

    @Override
    public String description() {
        return "network stacks for a view: umnetnull (its own loopback only), umnetcurrent (the host's)";
    }

    @Override
    public Claims claims() {
        return Claims.STACKS;
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        if (!request.options().isEmpty()) {
            throw new ModuleException(Errno.EINVAL.intValue(), request.type() + " takes no options");
        }
        return switch (request.type()) {
            case "umnetnull" -> new LoopbackStack(request.caller().uid(), request.caller().gid());
            case "umnetcurrent" -> new HostStack(request.caller().uid(), request.caller().gid());
            default -> throw new ModuleException(Errno.ENODEV.intValue(), "umnet serves umnetnull and umnetcurrent, not "
                    + request.type());
        };
    }
}
