package org.umview.dispatch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.umview.memory.TraceeMemory;
import org.umview.module.Interpreters;
import org.umview.syscall.SyscallRequest;
import org.umview.view.View;

/**
 * The view's binfmt_misc: an exec of a file an {@link Interpreters} mount matches becomes an
 * exec of the interpreter, with argv as the kernel builds it: interpreter, the file's path,
 * then (flag P) the original argv[0], then the original arguments.
 */
final class ExecInterpreters {
    private static final int HEAD = 128;
    private static final int MAX_ARGS = 4096;

    private final View view;
    private final TraceeMemory memory;
    private final int execve;

    ExecInterpreters(View view, TraceeMemory memory, int execve) {
        this.view = view;
        this.memory = memory;
        this.execve = execve;
    }

    /** The rewritten exec, or null to let it run as it is. {@code hostPath}: where the file is for the kernel. */
    Verdict decide(SyscallRequest request, String hostPath) {
        List<Interpreters> tables = view.mounts().serving(Interpreters.class, view.of(request.process()), request.process().epoch());
        if (tables.isEmpty()) {
            return null;
        }
        byte[] head = head(hostPath);
        if (head == null) {
            return null;
        }
        boolean at = request.call().name().equals("execveat");
        String given = memory.readString(request.tid(), request.arg(at ? 1 : 0), PathCalls.PATH_MAX);
        for (Interpreters table : tables) {
            Interpreters.Interpreter interpreter = table.interpreterFor(given, head);
            if (interpreter != null) {
                return Verdict.replace(execve, List.of(
                        Verdict.ArgumentChange.string(0, interpreter.path()),
                        Verdict.ArgumentChange.pointers(1, argv(request, at ? 2 : 1, interpreter, given)),
                        Verdict.ArgumentChange.value(2, request.arg(at ? 3 : 2))), null);
            }
        }
        return null;
    }

    private Verdict.PointerArray argv(SyscallRequest request, int argvArgument, Interpreters.Interpreter interpreter,
            String given) {
        List<Long> original = new ArrayList<>();
        long argv = request.arg(argvArgument);
        for (int i = 0; argv != 0 && i < MAX_ARGS; i++) {
            long pointer = ByteBuffer.wrap(memory.read(request.tid(), argv + 8L * i, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (pointer == 0) {
                break;
            }
            original.add(pointer);
        }
        int skip = interpreter.preserveArgv0() || original.isEmpty() ? 0 : 1;
        int n = 2 + original.size() - skip + 1;
        long[] values = new long[n];
        byte[][] pointed = new byte[n][];
        pointed[0] = Verdict.cString(interpreter.path());
        pointed[1] = Verdict.cString(given);
        for (int i = skip; i < original.size(); i++) {
            values[2 + i - skip] = original.get(i);
        }
        return new Verdict.PointerArray(values, pointed);
    }

    private static byte[] head(String hostPath) {
        try (InputStream in = Files.newInputStream(Path.of(hostPath))) {
            return in.readNBytes(HEAD);
        } catch (IOException | RuntimeException e) {
            return null; // not readable here: the kernel decides
        }
    }
}
