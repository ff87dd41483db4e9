package org.umview.viewfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.umview.libc.Errno;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * viewfs: {@code mount -t viewfs -o MODE[,except=PATH][,cowdir=DIR] SOURCE TARGET}. {@code bind}
 * (the default) shows host directory SOURCE at TARGET; {@code move} also hides SOURCE;
 * {@code merge} lays SOURCE read-only over TARGET; {@code cow} shows SOURCE with every change
 * kept in a layer ({@code cowdir=DIR}, or a private one dropped at umount); {@code mincow}
 * writes SOURCE where its owner may and copies elsewhere; {@code ro} makes TARGET read-only;
 * {@code hide} makes TARGET disappear. {@code except=PATH} (relative to TARGET) leaves a
 * subtree as it was. It serves {@code mount -t tmpfs} as well ({@link TemporaryTree}).
 */
public final class ViewfsModule implements Module {
    private static final List<String> MODES = List.of("bind", "move", "merge", "cow", "mincow", "ro", "hide");

    @Override
    public String name() {
        return "viewfs";
    }

    @Override
    public String description() {
        return "a file system patchwork: bind, move, merge, cow, mincow, ro, hide (except=PATH, cowdir=DIR)";
    }

    /** tmpfs too: root's `mount -t tmpfs none DIR` (and LTP's read-only tmpfs) gets a fresh private tree. */
    @Override
    public boolean serves(String type) {
        return type.startsWith(name()) || type.equals(TemporaryTree.TYPE);
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        if (request.type().equals(TemporaryTree.TYPE)) {
            return TemporaryTree.mount(request);
        }
        String mode = "bind";
        String cowdir = null;
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
            } else if (option.startsWith("cowdir=")) {
                cowdir = option.substring("cowdir=".length());
            } else if (MODES.contains(option.replaceFirst("^mode=", ""))) {
                // mode=move: util-linux mount(8) takes a bare "move" for its own --move.
                mode = option.replaceFirst("^mode=", "");
            } else if (!option.equals("rw")) {
                throw new ModuleException(Errno.EINVAL, "viewfs: unknown option " + option
                        + " (modes: " + String.join(", ", MODES) + "; except=PATH, cowdir=DIR)");
            }
        }
        if (cowdir != null && !mode.endsWith("cow")) {
            throw new ModuleException(Errno.EINVAL, "viewfs: cowdir= goes with cow or mincow, not " + mode);
        }
        boolean readOnly = mode.equals("ro") || (request.flags() & MountRequest.READ_ONLY) != 0;
        return switch (mode) {
            case "hide" -> new Hidden(exceptions);
            case "ro" -> new HostTree(request.target(), true, exceptions);
            case "move" -> moved(request, readOnly, exceptions);
            case "merge" -> new Merge(directory(request, request.source()), Path.of(request.target()), exceptions);
            case "cow", "mincow" -> {
                Path source = directory(request, request.source());
                Path layer = cowdir == null ? PrivateLayers.create() : layer(request, cowdir);
                if (source.startsWith(layer)) {
                    throw new ModuleException(Errno.EINVAL, "viewfs: the layer " + layer + " holds the source " + source
                            + ": it must lie elsewhere (or below it)");
                }
                yield new CopyOnWrite(source, layer, cowdir == null, mode.equals("mincow"), exceptions);
            }
            default -> new HostTree(source(request, request.source()).toString(), readOnly, exceptions);
        };
    }

    /** SOURCE shown at TARGET, and gone from its own place. */
    private static FileSystem moved(MountRequest request, boolean readOnly, List<String> exceptions) throws ModuleException {
        Path source = source(request, request.source());
        if (Path.of(request.target()).startsWith(source)) {
            throw new ModuleException(Errno.EINVAL, "viewfs: cannot move " + source + " into itself");
        }
        return new HostTree(source.toString(), readOnly, exceptions, Map.of(source.toString(), new Hidden(List.of())));
    }

    /** A host path named in the mount: relative to the caller's working directory, and there. */
    private static Path source(MountRequest request, String name) throws ModuleException {
        Path path = Path.of(request.caller().cwd()).resolve(name).normalize();
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new ModuleException(Errno.ENOENT, "viewfs: " + path + " does not exist");
        }
    }

    private static Path directory(MountRequest request, String name) throws ModuleException {
        Path path = source(request, name);
        if (!Files.isDirectory(path)) {
            throw new ModuleException(Errno.ENOTDIR, "viewfs: " + path + " is not a directory");
        }
        return path;
    }

    private static Path layer(MountRequest request, String name) throws ModuleException {
        Path path = Path.of(request.caller().cwd()).resolve(name).normalize();
        try {
            Files.createDirectories(path);
            return path.toRealPath();
        } catch (IOException e) {
            throw new ModuleException(Errno.EACCES, "viewfs: cannot use " + path + " as a copy-on-write layer: " + e);
        }
    }
}
