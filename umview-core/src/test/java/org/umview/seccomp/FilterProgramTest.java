package org.umview.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * A program's own filter, run as the kernel runs it: the opcodes libseccomp and strace emit
 * beyond the supervisor's own (arithmetic, bit tests, the scratch memory, the index register),
 * and the kernel's order of precedence between filters.
 */
class FilterProgramTest {
    private static final int ARCH = 0xc000003e;
    private static final int RET_ERRNO = 0x00050000;
    private static final int RET_KILL_PROCESS = 0x80000000;

    private static byte[] program(int[]... instructions) {
        ByteBuffer out = ByteBuffer.allocate(8 * instructions.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] i : instructions) {
            out.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt(i[3]);
        }
        return out.array();
    }

    private static int run(byte[] program, int nr, long... args) {
        return FilterProgram.of(program).run(nr, ARCH, 0x401000, java.util.Arrays.copyOf(args, 6));
    }

    @Test
    void argumentsAreTestedWithArithmeticBitTestsAndTheScratchMemory() {
        // A = args[1] low; M[3] = A; A &= 0xf0; if (A & 0x10) return TRACE|7; X = M[3]; A = X; A += 1; if (A > 5) ERRNO|2 else ALLOW
        byte[] filter = program(
                new int[] {0x20, 0, 0, 24}, new int[] {0x02, 0, 0, 3}, new int[] {0x54, 0, 0, 0xf0},
                new int[] {0x45, 0, 1, 0x10}, new int[] {0x06, 0, 0, FilterProgram.RET_TRACE | 7},
                new int[] {0x61, 0, 0, 3}, new int[] {0x87, 0, 0, 0}, new int[] {0x04, 0, 0, 1},
                new int[] {0x25, 0, 1, 5}, new int[] {0x06, 0, 0, RET_ERRNO | 2}, new int[] {0x06, 0, 0, FilterProgram.RET_ALLOW});
        assertEquals(FilterProgram.RET_TRACE | 7, run(filter, 1, 0, 0x13));
        assertEquals(RET_ERRNO | 2, run(filter, 1, 0, 0x25));
        assertEquals(FilterProgram.RET_ALLOW, run(filter, 1, 0, 0x03));
    }

    @Test
    void theNumberTheArchitectureAndTheInstructionPointerAreThere() {
        byte[] filter = program(new int[] {0x20, 0, 0, 4}, new int[] {0x15, 0, 4, ARCH}, new int[] {0x20, 0, 0, 8},
                new int[] {0x15, 0, 2, 0x401000}, new int[] {0x20, 0, 0, 0}, new int[] {0x16, 0, 0, 0},
                new int[] {0x06, 0, 0, RET_ERRNO});
        assertEquals(39, run(filter, 39)); // RET A: the number
        assertEquals(RET_ERRNO, FilterProgram.of(filter).run(39, 0x40000003, 0x401000, new long[6]));
        assertEquals(RET_ERRNO, FilterProgram.of(filter).run(39, ARCH, 0x402000, new long[6]));
    }

    @Test
    void aProgramThatLoadsOutOfBoundsOrRunsOffItsEndKills() {
        assertEquals(0, run(program(new int[] {0x20, 0, 0, 64}, new int[] {0x06, 0, 0, FilterProgram.RET_ALLOW}), 1));
        assertEquals(0, run(program(new int[] {0x20, 0, 0, 0}), 1));
        assertNull(FilterProgram.of(new byte[0]));
    }

    @Test
    void theLowerActionWinsAndTheNewerFilterOnATie() {
        assertEquals(RET_KILL_PROCESS, FilterProgram.precedence(FilterProgram.RET_TRACE, RET_KILL_PROCESS));
        assertEquals(RET_ERRNO | 1, FilterProgram.precedence(RET_ERRNO | 1, FilterProgram.RET_TRACE));
        assertEquals(FilterProgram.RET_TRACE | 1, FilterProgram.precedence(FilterProgram.RET_TRACE | 1, FilterProgram.RET_TRACE | 2));
        assertEquals(FilterProgram.RET_TRACE, FilterProgram.precedence(FilterProgram.RET_ALLOW, FilterProgram.RET_TRACE));
    }
}
