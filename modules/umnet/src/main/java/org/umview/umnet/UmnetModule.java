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
        return "network stacks for a view: umnetnull (its own loopback only), umnetcurrent (the host's),"
                + " umnetlwipv6/umnetvde (LWIPv6 on VDE switches: vdN=SWITCH, ipN=ADDRESS/PREFIX)";
    }

    @Override
    public Claims claims() {
        return Claims.STACKS;
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        if (request.type().equals("umnetlwipv6") || request.type().equals("umnetvde")) {
            java.util.Map<String, String> options = options(request);
            return new LwipStack(request.caller().uid(), request.caller().gid(), helper(), LwipOptions.ports(options),
                    options.containsKey("forward"));
        }
        if (!request.options().isEmpty()) {
            throw new ModuleException(Errno.EINVAL.intValue(), request.type() + " takes no options");
        }
        return switch (request.type()) {
            case "umnetnull" -> new LoopbackStack(request.caller().uid(), request.caller().gid());
            case "umnetcurrent" -> new HostStack(request.caller().uid(), request.caller().gid());
            default -> throw new ModuleException(Errno.ENODEV.intValue(), "umnet serves umnetnull, umnetcurrent and"
                    + " umnetlwipv6 (umnetvde), not " + request.type());
        };
    }

    /** key=value options (a bare key has an empty value). */
    private static java.util.Map<String, String> options(MountRequest request) {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        for (String option : request.options().split(",")) {
            if (!option.isEmpty()) {
                int equals = option.indexOf('=');
                options.put(equals < 0 ? option : option.substring(0, equals), equals < 0 ? "" : option.substring(equals + 1));
            }
        }
        return options;
    }

    /**
     * The umnet-lwip program: where the launcher says umview's helper programs are
     * (umview.libexec), else beside this module's jar (a built source tree).
     */
    private static java.nio.file.Path helper() throws ModuleException {
        String libexec = System.getProperty("umview.libexec");
        try {
            java.nio.file.Path dir = libexec != null ? java.nio.file.Path.of(libexec)
                    : java.nio.file.Path.of(UmnetModule.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            java.nio.file.Path program = dir.resolve("umnet-lwip");
            if (!java.nio.file.Files.isExecutable(program)) {
                throw new ModuleException(Errno.ENOENT.intValue(), "umnetlwipv6: " + program + " is missing (build umview)");
            }
            return program;
        } catch (java.net.URISyntaxException e) {
            throw new ModuleException(Errno.ENOENT.intValue(), "umnetlwipv6: cannot find umnet-lwip");
        }
    }
}
