package org.umview.dispatch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.umview.process.ProcessState;
import org.umview.view.Mount;

/**
 * /proc/PID/status of a process of the view as it would read without umview: the supervisor's
 * tracing and its seccomp filter are not there, the program's own are. TracerPid is its
 * debugger's in the view (0 if none), State "t (tracing stop)" while stopped for that debugger
 * (a stop of the supervisor's reads as sleeping, as the call it is in would, or running for the
 * thread reading its own), NoNewPrivs,
 * Seccomp and Seccomp_filters the program's own.
 */
final class ProcStatusFiles {
    private static final Pattern STATUS = Pattern.compile("/proc/(\\d+)(?:/task/(\\d+))?/status");

    private final ControlChannel.ViewControl control;
    private final Mount proc;

    ProcStatusFiles(ControlChannel.ViewControl control, Mount proc) {
        this.control = control;
        this.proc = proc;
    }

    /** The status file a canonical path names, of a thread of the view, as thread {@code reader} reads it; null for any other path. */
    ProcFile file(String path, int reader) {
        Matcher m = STATUS.matcher(path);
        if (!m.matches()) {
            return null;
        }
        int tid = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(1));
        ProcessState process = control.inView(tid) ? control.process(tid) : null;
        if (process == null) {
            return null;
        }
        return new ProcFile(path, proc) {
            @Override
            String text(String host) {
                StringBuilder text = new StringBuilder(host.length());
                int filters = process.chain().ownFilters().size();
                for (String line : host.split("\n", -1)) {
                    String name = line.substring(0, Math.max(line.indexOf(':'), 0));
                    text.append(switch (name) {
                        case "State" -> control.stoppedForTracer(tid) ? "State:\tt (tracing stop)"
                                : !line.contains("t (tracing stop)") ? line : tid == reader ? "State:\tR (running)" : "State:\tS (sleeping)";
                        case "TracerPid" -> "TracerPid:\t" + control.tracerOf(tid);
                        case "NoNewPrivs" -> "NoNewPrivs:\t" + (process.noNewPrivs() ? 1 : 0);
                        case "Seccomp" -> "Seccomp:\t" + (filters > 0 ? 2 : 0);
                        case "Seccomp_filters" -> "Seccomp_filters:\t" + filters;
                        default -> line;
                    }).append('\n');
                }
                text.setLength(text.length() - 1); // the split's last piece had no newline after it
                return text.toString();
            }
        };
    }
}
