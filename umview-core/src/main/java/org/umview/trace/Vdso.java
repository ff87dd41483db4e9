package org.umview.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.umview.memory.TraceeMemory;
import org.umview.memory.TraceeMemoryException;

/**
 * Hides the vDSO from a program that has just been executed: its AT_SYSINFO_EHDR entry in the
 * auxiliary vector becomes AT_IGNORE, so the C library makes its clock calls as system calls,
 * where the supervisor sees them. The vDSO stays mapped (the tracer's own injections use it).
 */
final class Vdso {
    private static final long AT_NULL = 0;
    private static final long AT_IGNORE = 1;
    private static final long AT_SYSINFO_EHDR = 33;
    private static final int MAX_WORDS = 1 << 16;

    private Vdso() {
    }

    /** {@code stack}: the stack pointer at the exec stop, where argc is. */
    static void hide(TraceeMemory memory, int tid, long stack) {
        try {
            long at = stack + 8 * (word(memory, tid, stack) + 2); // past argc, argv and its NULL
            for (int i = 0; i < MAX_WORDS && word(memory, tid, at) != 0; i++) {
                at += 8; // the environment
            }
            at += 8;
            for (int i = 0; i < MAX_WORDS; i++, at += 16) {
                long type = word(memory, tid, at);
                if (type == AT_NULL) {
                    return;
                }
                if (type == AT_SYSINFO_EHDR) {
                    memory.write(tid, at, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(AT_IGNORE).array());
                    return;
                }
            }
        } catch (TraceeMemoryException e) {
            // a stack we cannot read: the program keeps its vDSO and its clock is the host's
        }
    }

    private static long word(TraceeMemory memory, int tid, long address) {
        return ByteBuffer.wrap(memory.read(tid, address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
