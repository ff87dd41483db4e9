package org.umview.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.umview.memory.TraceeMemory;
import org.umview.memory.TraceeMemoryException;

/** Finds a {@code syscall} instruction (0f 05) in a tracee's vDSO, mapped in every process. */
final class SyscallInstruction {
    private static final TraceeMemory MEMORY = new TraceeMemory();

    private SyscallInstruction() {
    }

    /** Its address, or 0 if the process has no vDSO with one. */
    static long find(int tid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/maps"))) {
                if (line.endsWith("[vdso]")) {
                    String[] range = line.substring(0, line.indexOf(' ')).split("-");
                    long start = Long.parseUnsignedLong(range[0], 16);
                    long end = Long.parseUnsignedLong(range[1], 16);
                    byte[] code = MEMORY.read(tid, start, (int) (end - start));
                    for (int i = 0; i + 1 < code.length; i++) {
                        if (code[i] == 0x0f && code[i + 1] == 0x05) {
                            return start + i;
                        }
                    }
                }
            }
        } catch (IOException | TraceeMemoryException | NumberFormatException e) {
            // no vDSO to use: the caller reports it
        }
        return 0;
    }
}
