package org.umview.umfuse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.umview.libc.Errno;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * How {@code mount -t umfuseXXX -o OPTIONS SOURCE MOUNTPOINT} becomes the command line of the
 * FUSE program for XXX: {@code PROGRAM pre... FORMAT post...}, where the format (by default
 * {@code "%S %M %O"}) has {@code %S} the source, {@code %M} the mount point and {@code %O}
 * {@code -o} with the options meant for the program; the options of umfuse itself stay here.
 */
record ProgramCall(List<String> command, Credentials credentials, boolean readOnly, boolean showCall, boolean human) {
    /** The program for each built-in type, and the options it needs to write. */
    private record Program(String name, String writeOption, boolean readOnly) {
        Program(String name, String writeOption) {
            this(name, writeOption, false);
        }
    }

    private static final Map<String, Program> PROGRAMS = Map.of(
            "ext2", new Program("fuse2fs", null), "ext3", new Program("fuse2fs", null),
            "ext4", new Program("fuse2fs", null), "fat", new Program("fusefat", "rw+"),
            "vfat", new Program("fusefat", "rw+"), "iso9660", new Program("fuseiso", null, true),
            "squashfs", new Program("squashfuse", null, true));
    /** Programs larger than this are not looked into for their libfuse. */
    private static final long MAX_PROGRAM = 16 << 20;
    private static final List<String> OWN = List.of("exec", "pre", "post", "format", "nosource", "showcall", "human",
            "fuseuid", "fusegid", "ro", "rw", "debug");

    static ProgramCall of(MountRequest request, String sourceDirectory) throws ModuleException {
        Map<String, String> options = parse(request.options());
        String kind = request.type().substring("umfuse".length());
        Program program = PROGRAMS.get(kind);
        String exec = options.get("exec");
        if (exec == null && program == null) {
            throw new ModuleException(Errno.EINVAL, kind.isEmpty() ? "umfuse needs -o exec=PROGRAM"
                    : "unknown umfuse type '" + request.type() + "' (known: umfuseext2, umfuseext3, umfuseext4, umfusefat, "
                    + "umfusevfat, umfuseiso9660, umfusesquashfs, and umfuse -o exec=PROGRAM)");
        }
        boolean readOnly = (request.flags() & MountRequest.READ_ONLY) != 0 || options.containsKey("ro")
                || (exec == null && program.readOnly());
        List<String> programOptions = new ArrayList<>();
        if (readOnly) {
            programOptions.add("ro");
        } else if (exec == null && program.writeOption() != null) {
            programOptions.add(program.writeOption());
        }
        if (options.containsKey("debug")) {
            programOptions.add("debug");
        }
        options.forEach((key, value) -> {
            if (!OWN.contains(key)) {
                programOptions.add(value == null ? key : key + "=" + value);
            }
        });
        // A view's mount may hide what is below it, even the image it mounts; libfuse 2 refuses
        // a mount point that is not empty unless told (libfuse 3 never checks).
        if (!options.containsKey("nonempty") && linksLibfuse2(exec != null ? exec : program.name())) {
            programOptions.add("nonempty");
        }
        String source = request.source();
        if (!source.startsWith("/") && !source.equals("none")) {
            source = (sourceDirectory.endsWith("/") ? sourceDirectory : sourceDirectory + "/") + source;
        }
        List<String> command = new ArrayList<>();
        command.add(exec != null ? exec : program.name());
        words(command, options.get("pre"));
        String format = options.getOrDefault("format", "%S %M %O");
        for (String word : format.trim().split("\\s+")) {
            switch (word) {
                case "%S" -> {
                    if (!options.containsKey("nosource")) {
                        command.add(source);
                    }
                }
                case "%M" -> command.add(request.target());
                case "%O" -> {
                    if (!programOptions.isEmpty()) {
                        command.add("-o");
                        command.add(String.join(",", programOptions));
                    }
                }
                default -> command.add(word);
            }
        }
        words(command, options.get("post"));
        Credentials credentials = Credentials.OWNER;
        if (options.containsKey("human")) {
            credentials = new Credentials(request.caller().uid(), request.caller().gid(), 0);
        }
        credentials = new Credentials(number(options, "fuseuid", credentials.uid()),
                number(options, "fusegid", credentials.gid()), 0);
        return new ProgramCall(List.copyOf(command), credentials, readOnly, options.containsKey("showcall"),
                options.containsKey("human"));
    }

    /** Whether {@code program} (a path, or a name on PATH) is linked with libfuse 2. */
    static boolean linksLibfuse2(String program) {
        java.nio.file.Path file = null;
        if (program.contains("/")) {
            file = java.nio.file.Path.of(program);
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                java.nio.file.Path candidate = java.nio.file.Path.of(dir.isEmpty() ? "." : dir, program);
                if (java.nio.file.Files.isExecutable(candidate)) {
                    file = candidate;
                    break;
                }
            }
        }
        try {
            if (file == null || java.nio.file.Files.size(file) > MAX_PROGRAM) {
                return false;
            }
            byte[] bytes = java.nio.file.Files.readAllBytes(file);
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("libfuse.so.2");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void words(List<String> command, String text) {
        if (text != null && !text.isBlank()) {
            command.addAll(List.of(text.trim().split("\\s+")));
        }
    }

    private static int number(Map<String, String> options, String key, int otherwise) throws ModuleException {
        String value = options.get(key);
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ModuleException(Errno.EINVAL, key + "=" + value + ": not a number");
        }
    }

    /** Comma-separated options, in order; a value may not hold commas. */
    static Map<String, String> parse(String text) {
        Map<String, String> options = new LinkedHashMap<>();
        if (text == null) {
            return options;
        }
        for (String option : text.split(",")) {
            if (!option.isEmpty()) {
                int equals = option.indexOf('=');
                options.put(equals < 0 ? option : option.substring(0, equals), equals < 0 ? null : option.substring(equals + 1));
            }
        }
        return options;
    }
}
