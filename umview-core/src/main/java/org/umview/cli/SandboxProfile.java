package org.umview.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The narrowings a sandboxed view starts with, in order: from {@code --hide}, {@code --ro},
 * {@code --cow} and a profile file ({@code --sandbox FILE}), whose lines are
 * {@code hide PATH}, {@code ro PATH} or {@code cow PATH [LAYER]}; "#" starts a comment and a
 * leading "~" is the home directory. A line {@code net none} (or {@code --net}) gives the view
 * its network: null for the host's.
 */
record SandboxProfile(List<Narrowing> narrowings, String net) {
    /** One viewfs mount made before the command starts; {@code layer} only for cow, null for a private one. */
    record Narrowing(String mode, Path path, Path layer) {
        /** The viewfs options of this mount. */
        String options() {
            return layer == null ? mode : mode + ",cowdir=" + layer.toAbsolutePath().normalize();
        }
    }

    static SandboxProfile of(UmviewCommand options) {
        List<Narrowing> narrowings = new ArrayList<>();
        String[] net = {options.net};
        if (options.sandboxFile != null) {
            narrowings.addAll(read(options.sandboxFile, net));
        }
        options.hide.forEach(path -> narrowings.add(new Narrowing("hide", path, null)));
        options.readOnly.forEach(path -> narrowings.add(new Narrowing("ro", path, null)));
        for (String cow : options.cow) {
            int equals = cow.indexOf('=');
            narrowings.add(equals < 0 ? new Narrowing("cow", Path.of(cow), null)
                    : new Narrowing("cow", Path.of(cow.substring(0, equals)), Path.of(cow.substring(equals + 1))));
        }
        if (net[0] != null && net[0].isEmpty()) {
            throw new IllegalArgumentException("--net takes none, current or a stack's path");
        }
        return new SandboxProfile(narrowings, net[0]);
    }

    /** The narrowings of a profile; a {@code net} line sets {@code net[0]} unless --net did. */
    private static List<Narrowing> read(Path file, String[] net) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read sandbox profile " + file + ": " + e.getMessage());
        }
        List<Narrowing> narrowings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split("\\s+");
            String where = file + ":" + (i + 1) + ": ";
            boolean cow = words[0].equals("cow");
            if (words[0].equals("net")) {
                if (words.length != 2 || !words[1].equals("none")) {
                    throw new IllegalArgumentException(where + "net takes one word: none");
                }
                net[0] = net[0] != null ? net[0] : "none";
                continue;
            }
            if (!List.of("hide", "ro", "cow").contains(words[0])) {
                throw new IllegalArgumentException(where + "unknown directive " + words[0]
                        + " (hide PATH, ro PATH, cow PATH [LAYER], net none)");
            }
            if (words.length < 2 || words.length > (cow ? 3 : 2)) {
                throw new IllegalArgumentException(where + words[0] + (cow ? " takes PATH [LAYER]" : " takes one PATH"));
            }
            narrowings.add(new Narrowing(words[0], home(words[1]), words.length == 3 ? home(words[2]) : null));
        }
        return narrowings;
    }

    private static Path home(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }
}
