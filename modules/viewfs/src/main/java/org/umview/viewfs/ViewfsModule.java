package org.umview.viewfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * viewfs: {@code mount -t viewfs -o MODE[,except=PATH]... SOURCE TARGET}. {@code bind}
 * (the default) shows host directory SOURCE at TARGET; {@code ro} makes TARGET read-only;
 * {@code hide} makes TARGET disappear. {@code except=PATH} (relative to TARGET) leaves a
 * subtree as it was. The host never changes: the supervisor rewrites paths or refuses calls.
 */
public final class ViewfsModule implements Module {
    private static final List<String> LATER = List.of("move", "merge", "cow", "mincow");

    @Override
    public String name() {
        return "viewfs";
    }

    @Override
    public String description() {
        return "a file system patchwork: bind, ro, hide (except=PATH leaves a subtree as it was)";
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        String mode = "bind";
        List<String> exceptions = new ArrayList<>();
        for (String option : request.options().split(",")) {
            if (option.isEmpty()) {
                continue;
            }
            if (option.startsWith("except=")) {
                String path = option.substring("except=".length()).replaceAll("^/+|/+$", "");
                if (path.isEmpty() || path.contains("..")) {
                    throw new ModuleException(Errno.EINVAL, "viewfs: except=PATH names a path below the mount point");
                }
                exceptions.add(path);
            } else if (List.of("bind", "ro", "hide").contains(option)) {
                mode = option;
            } else if (LATER.contains(option)) {
                throw new ModuleException(Errno.EINVAL, "viewfs: mode " + option + " is not supported yet (bind, ro, hide are)");
            } else if (!option.equals("rw")) {
                throw new ModuleException(Errno.EINVAL, "viewfs: unknown option " + option
                        + " (modes: bind, ro, hide; except=PATH)");
            }
        }
        boolean readOnly = mode.equals("ro") || (request.flags() & MountRequest.READ_ONLY) != 0;
        return switch (mode) {
            case "hide" -> new Hidden(exceptions);
            case "ro" -> new HostTree(request.target(), true, exceptions);
            default -> new HostTree(source(request), readOnly, exceptions);
        };
    }

    /** SOURCE as a host directory: relative to the caller's working directory, and there. */
    private static String source(MountRequest request) throws ModuleException {
        String source = request.source();
        if (!source.startsWith("/")) {
            source = Path.of(request.caller().cwd()).resolve(source).normalize().toString();
        }
        if (!Files.exists(Path.of(source))) {
            throw new ModuleException(Errno.ENOENT, "viewfs: " + source + " does not exist");
        }
        return source;
    }
}
