package org.umview.syscall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An architecture's system call table, read from a resource with one line per call:
 * {@code NR NAME KIND...} ({@code #} starts a comment).
 */
public final class SyscallTable {
    private final Syscall[] byNumber;
    private final Map<String, Syscall> byName = new HashMap<>();

    private SyscallTable(List<Syscall> calls) {
        int highest = calls.stream().mapToInt(Syscall::number).max().orElse(-1);
        byNumber = new Syscall[highest + 1];
        for (Syscall call : calls) {
            byNumber[call.number()] = call;
            byName.put(call.name(), call);
        }
    }

    static SyscallTable load(String resource) {
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing syscall table " + resource);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SyscallTable parse(BufferedReader reader, String source) throws IOException {
        List<Syscall> calls = new ArrayList<>();
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] words = text.split("\\s+");
            try {
                List<ArgKind> kinds = new ArrayList<>();
                for (int i = 2; i < words.length; i++) {
                    kinds.add(ArgKind.parse(words[i]));
                }
                calls.add(new Syscall(Integer.parseInt(words[0]), words[1], kinds));
            } catch (RuntimeException e) {
                throw new IllegalStateException(source + ":" + lineNumber + ": bad entry: " + text, e);
            }
        }
        return new SyscallTable(calls);
    }

    /** The entry for {@code number}; a generic one for numbers the table does not name. */
    public Syscall byNumber(int number) {
        Syscall call = number >= 0 && number < byNumber.length ? byNumber[number] : null;
        return call != null ? call : Syscall.unknown(number);
    }

    public int number(String name) {
        Syscall call = byName.get(name);
        if (call == null) {
            throw new IllegalArgumentException("no system call named " + name);
        }
        return call.number();
    }

    /** The highest call number the table names. */
    public int highest() {
        return byNumber.length - 1;
    }

    public int size() {
        return byName.size();
    }
}
