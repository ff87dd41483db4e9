package org.umview.calllog;

import java.io.PrintStream;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.memory.TraceeMemoryException;
import org.umview.syscall.ArgKind;
import org.umview.syscall.SyscallRequest;

/**
 * The {@code --trace} log: one line per trapped call, decoded like strace, with the process,
 * the arguments, the result and, when the supervisor decided it, by whom.
 */
public final class CallLog {
    private static final int MAX_STRING = 96;
    private static final int AT_FDCWD = -100;

    private final PrintStream out;
    private final TraceeMemory memory;

    public CallLog(PrintStream out, TraceeMemory memory) {
        this.out = out;
        this.memory = memory;
    }

    /** The call as the tracee made it, before it runs: {@code [pid 7] mount("none", ...)}. */
    public String describe(SyscallRequest request) {
        StringBuilder line = new StringBuilder(96);
        line.append("[pid ").append(request.tid()).append("] ").append(request.call().name()).append('(');
        List<ArgKind> kinds = request.call().args();
        for (int i = 0; i < kinds.size(); i++) {
            if (i > 0) {
                line.append(", ");
            }
            appendArg(line, request.tid(), kinds.get(i), request.arg(i));
        }
        return line.append(')').toString();
    }

    /** Writes the line for a finished call; {@code by} names who decided it (null: the kernel). */
    public void finished(String call, long result, String by) {
        StringBuilder line = new StringBuilder(call).append(" = ");
        appendResult(line, result);
        if (by != null) {
            line.append(" [").append(by).append(']');
        }
        synchronized (out) {
            out.println(line);
        }
    }

    /** Writes the line for a call let through from a listener: the kernel runs it and no one sees its result. */
    public void letThrough(String call) {
        synchronized (out) {
            out.println(call + " = ? [notified, run by the kernel]");
        }
    }

    private void appendArg(StringBuilder line, int tid, ArgKind kind, long value) {
        switch (kind) {
            case PATH, STR -> appendString(line, tid, value);
            case FD, INT, PID, SIG, UID -> line.append((int) value);
            case DIRFD -> line.append((int) value == AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) value));
            case SIZE, OFF -> line.append(value);
            case MODE -> line.append('0').append(Long.toOctalString(value));
            case HEX, OFLAGS, ATFLAGS -> line.append("0x").append(Long.toHexString(value));
            case IN, OUT, INOUT, PTR -> line.append(value == 0 ? "NULL" : "0x" + Long.toHexString(value));
        }
    }

    private void appendString(StringBuilder line, int tid, long address) {
        if (address == 0) {
            line.append("NULL");
            return;
        }
        try {
            String text = memory.readString(tid, address, MAX_STRING + 1);
            if (text == null) {
                text = new String(memory.read(tid, address, MAX_STRING), java.nio.charset.StandardCharsets.UTF_8);
                appendQuoted(line, text).append("...");
            } else {
                appendQuoted(line, text);
            }
        } catch (TraceeMemoryException e) {
            line.append("0x").append(Long.toHexString(address));
        }
    }

    private static StringBuilder appendQuoted(StringBuilder line, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        line.append(String.format("\\x%02x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        return line.append('"');
    }

    private static void appendResult(StringBuilder line, long result) {
        if (result < 0 && result >= -4095) {
            int errno = (int) -result;
            String restart = restartName(errno);
            if (restart != null) {
                line.append("? ").append(restart).append(" (to be restarted)");
            } else {
                line.append("-1 ").append(Errno.name(errno)).append(" (").append(Errno.describe(errno)).append(')');
            }
        } else {
            line.append(result);
        }
    }

    /* The kernel's internal restart codes: a tracee never sees them, the tracer may. */
    private static String restartName(int errno) {
        return switch (errno) {
            case 512 -> "ERESTARTSYS";
            case 513 -> "ERESTARTNOINTR";
            case 514 -> "ERESTARTNOHAND";
            case 516 -> "ERESTART_RESTARTBLOCK";
            default -> null;
        };
    }
}
