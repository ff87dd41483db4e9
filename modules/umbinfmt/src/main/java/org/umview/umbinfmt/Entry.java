package org.umview.umbinfmt;

import java.io.ByteArrayOutputStream;
import org.umview.libc.Errno;
import org.umview.module.ModuleException;

/** One registered format: {@code :name:type:offset:magic:mask:interpreter:flags}, types M (magic) and E (extension). */
final class Entry {
    final String name;
    final boolean magicType;
    final int offset;
    final byte[] magic;
    final byte[] mask;
    final String extension;
    final String interpreter;
    final String flags;
    volatile boolean enabled = true;

    private Entry(String name, boolean magicType, int offset, byte[] magic, byte[] mask, String extension, String interpreter,
            String flags) {
        this.name = name;
        this.magicType = magicType;
        this.offset = offset;
        this.magic = magic;
        this.mask = mask;
        this.extension = extension;
        this.interpreter = interpreter;
        this.flags = flags;
    }

    /** Parses a line written to register; the first character is the field separator, as in the kernel. */
    static Entry parse(String line) throws ModuleException {
        String text = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        if (text.length() < 2) {
            throw invalid(line);
        }
        String separator = java.util.regex.Pattern.quote(text.substring(0, 1));
        String[] fields = text.substring(1).split(separator, -1);
        if (fields.length < 6 || fields.length > 7) {
            throw invalid(line);
        }
        String name = fields[0];
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.equals("register")
                || name.equals("status")) {
            throw invalid(line);
        }
        String given = fields.length == 7 ? fields[6] : "";
        if (!given.matches("[POCF]*")) {
            throw invalid(line);
        }
        // As the kernel keeps and shows them: in this order, C bringing O with it.
        StringBuilder flags = new StringBuilder();
        for (char flag : "PCOF".toCharArray()) {
            if (given.indexOf(flag) >= 0 || flag == 'O' && given.indexOf('C') >= 0) {
                flags.append(flag);
            }
        }
        if (fields[5].isEmpty()) {
            throw invalid(line);
        }
        if (given.contains("F") && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(fields[5]))) {
            // Fix-binary: the kernel opens the interpreter now, and refuses one that is not there.
            throw new ModuleException(Errno.ENOENT, "binfmt_misc: interpreter " + fields[5] + " is not there (flag F)");
        }
        switch (fields[1]) {
            case "E" -> {
                if (fields[3].isEmpty() || fields[3].contains("/")) {
                    throw invalid(line);
                }
                return new Entry(name, false, 0, null, null, fields[3], fields[5], flags.toString());
            }
            case "M" -> {
                int offset;
                try {
                    offset = fields[2].isEmpty() ? 0 : Integer.parseInt(fields[2]);
                } catch (NumberFormatException e) {
                    throw invalid(line);
                }
                byte[] magic = unescape(fields[3]);
                byte[] mask = fields[4].isEmpty() ? null : unescape(fields[4]);
                if (magic.length == 0 || offset < 0 || offset + magic.length > 128 || (mask != null && mask.length != magic.length)) {
                    throw invalid(line);
                }
                return new Entry(name, true, offset, magic, mask, null, fields[5], flags.toString());
            }
            default -> throw invalid(line);
        }
    }

    private static ModuleException invalid(String line) {
        return new ModuleException(Errno.EINVAL, "binfmt_misc: cannot register " + line.strip());
    }

    /** \\xHH escapes, as the kernel reads magic and mask. */
    private static byte[] unescape(String text) throws ModuleException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 3 < text.length() && text.charAt(i + 1) == 'x') {
                try {
                    out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                } catch (NumberFormatException e) {
                    throw new ModuleException(Errno.EINVAL, "binfmt_misc: bad escape in " + text);
                }
                i += 3;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    boolean matches(String path, byte[] head) {
        if (!enabled) {
            return false;
        }
        if (!magicType) {
            String base = path.substring(path.lastIndexOf('/') + 1);
            return base.endsWith("." + extension);
        }
        if (head.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            int m = mask == null ? 0xff : mask[i] & 0xff;
            if ((head[offset + i] & m) != (magic[i] & m)) {
                return false;
            }
        }
        return true;
    }

    /** What reading the entry's file shows, in the kernel's words. */
    String describe() {
        StringBuilder text = new StringBuilder(enabled ? "enabled\n" : "disabled\n");
        text.append("interpreter ").append(interpreter).append('\n');
        text.append("flags: ").append(flags).append('\n');
        if (magicType) {
            text.append("offset ").append(offset).append('\n');
            text.append("magic ").append(hex(magic)).append('\n');
            if (mask != null) {
                text.append("mask ").append(hex(mask)).append('\n');
            }
        } else {
            text.append("extension .").append(extension).append('\n');
        }
        return text.toString();
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b & 0xff));
        }
        return text.toString();
    }
}
