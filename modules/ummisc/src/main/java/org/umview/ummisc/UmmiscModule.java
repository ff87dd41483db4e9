package org.umview.ummisc;

import org.umview.libc.Errno;
import org.umview.module.Claims;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * ummisc: the system's names as files. {@code mount -t ummiscuname none DIR} gives DIR the
 * files sysname, nodename, release, version, machine and domainname; uname(2),
 * sethostname(2) and setdomainname(2) of the processes that see the mount use them, and
 * the host's names never change. {@code mount -t ummiscuid [-o uid=N,gid=N] none DIR}: the
 * processes that see it are told they are that user (root by default). {@code mount -t
 * ummisctime [-o offset=S,frequency=F] none DIR}: their wall clock is shifted and scaled.
 */
public final class UmmiscModule implements Module {
    @Override
    public String name() {
        return "ummisc";
    }

    @Override
    public String description() {
        return "the system's names (uname, hostname, domainname) of a view, as files (ummiscuname)";
    }

    @Override
    public Claims claims() {
        return new Claims(true, true, true, true, false);
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        ValueFiles files = switch (request.type()) {
            case "ummiscuname" -> UnameFiles.ofHost(request.caller().uid(), request.caller().gid());
            case "ummiscuid" -> new IdentityFiles(request.caller().uid(), request.caller().gid());
            case "ummisctime" -> new TimeFiles(request.caller().uid(), request.caller().gid());
            default -> throw new ModuleException(Errno.ENODEV, "ummisc serves ummiscuname, ummiscuid and ummisctime, not "
                    + request.type());
        };
        for (String option : request.options().split(",")) {
            int equals = option.indexOf('=');
            if (equals > 0) {
                files.set(option.substring(0, equals), option.substring(equals + 1));
            } else if (!option.isEmpty()) {
                throw new ModuleException(Errno.EINVAL, request.type() + ": options are NAME=VALUE");
            }
        }
        return files;
    }
}
