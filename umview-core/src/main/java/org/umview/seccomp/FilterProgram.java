package org.umview.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A seccomp filter a program installed itself (strace --seccomp-bpf does, in the program it
 * starts), run as the kernel runs it on a call: classic BPF over struct seccomp_data. The
 * supervisor needs its answer where the kernel keeps it to itself: a SECCOMP_RET_TRACE of the
 * program's filter is a PTRACE_EVENT_SECCOMP stop its debugger in the view must see.
 */
public final class FilterProgram {
    public static final int RET_TRACE = 0x7ff00000;
    public static final int RET_ALLOW = 0x7fff0000;
    /** struct seccomp_data: nr, arch, instruction_pointer, args[6]. */
    private static final int DATA_SIZE = 64;
    private static final int MAX_INSTRUCTIONS = 4096;
    private static final int SCRATCH = 16;

    private final short[] code;
    private final byte[] jt;
    private final byte[] jf;
    private final int[] k;

    private FilterProgram(int length) {
        code = new short[length];
        jt = new byte[length];
        jf = new byte[length];
        k = new int[length];
    }

    /** The program in {@code bytes} (struct sock_filter[]: u16 code, u8 jt, u8 jf, u32 k); null if the kernel would refuse its size. */
    public static FilterProgram of(byte[] bytes) {
        int length = bytes.length / 8;
        if (length == 0 || length > MAX_INSTRUCTIONS) {
            return null;
        }
        FilterProgram program = new FilterProgram(length);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < length; i++) {
            program.code[i] = in.getShort(8 * i);
            program.jt[i] = in.get(8 * i + 2);
            program.jf[i] = in.get(8 * i + 3);
            program.k[i] = in.getInt(8 * i + 4);
        }
        return program;
    }

    /** What the filter returns for call {@code nr} with {@code args} (SECCOMP_RET_*); KILL for a program that runs off its end or loads out of bounds. */
    public int run(int nr, int arch, long instructionPointer, long[] args) {
        ByteBuffer data = ByteBuffer.allocate(DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(8, instructionPointer);
        for (int i = 0; i < 6; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        int a = 0;
        int x = 0;
        int[] scratch = new int[SCRATCH];
        for (int pc = 0; pc < code.length; pc++) {
            int op = code[pc] & 0xffff;
            int operand = k[pc];
            switch (op & 0x07) {
                case 0x00 -> { // LD
                    switch (op) {
                        case 0x20 -> { // W ABS
                            if (operand < 0 || operand > DATA_SIZE - 4 || (operand & 3) != 0) {
                                return 0;
                            }
                            a = data.getInt(operand);
                        }
                        case 0x80 -> a = DATA_SIZE; // W LEN
                        case 0x00 -> a = operand; // IMM
                        case 0x60 -> a = scratch[operand & 15]; // MEM
                        default -> {
                            return 0;
                        }
                    }
                }
                case 0x01 -> { // LDX
                    switch (op) {
                        case 0x01 -> x = operand;
                        case 0x81 -> x = DATA_SIZE;
                        case 0x61 -> x = scratch[operand & 15];
                        default -> {
                            return 0;
                        }
                    }
                }
                case 0x02 -> scratch[operand & 15] = a; // ST
                case 0x03 -> scratch[operand & 15] = x; // STX
                case 0x04 -> { // ALU
                    int b = (op & 0x08) != 0 ? x : operand;
                    switch (op & 0xf0) {
                        case 0x00 -> a += b;
                        case 0x10 -> a -= b;
                        case 0x20 -> a *= b;
                        case 0x30 -> {
                            if (b == 0) {
                                return 0;
                            }
                            a = Integer.divideUnsigned(a, b);
                        }
                        case 0x40 -> a |= b;
                        case 0x50 -> a &= b;
                        case 0x60 -> a = b >= 32 ? 0 : a << b;
                        case 0x70 -> a = b >= 32 ? 0 : a >>> b;
                        case 0x80 -> a = -a;
                        case 0x90 -> {
                            if (b == 0) {
                                return 0;
                            }
                            a = Integer.remainderUnsigned(a, b);
                        }
                        case 0xa0 -> a ^= b;
                        default -> {
                            return 0;
                        }
                    }
                }
                case 0x05 -> { // JMP
                    if (op == 0x05) { // JA
                        pc += operand;
                        continue;
                    }
                    int b = (op & 0x08) != 0 ? x : operand;
                    boolean taken = switch (op & 0xf0) {
                        case 0x10 -> a == b;
                        case 0x20 -> Integer.compareUnsigned(a, b) > 0;
                        case 0x30 -> Integer.compareUnsigned(a, b) >= 0;
                        case 0x40 -> (a & b) != 0;
                        default -> false;
                    };
                    pc += (taken ? jt[pc] : jf[pc]) & 0xff;
                }
                case 0x06 -> { // RET
                    return (op & 0x18) == 0x10 ? a : operand;
                }
                case 0x07 -> { // MISC
                    if ((op & 0xf8) == 0x00) {
                        x = a; // TAX
                    } else {
                        a = x; // TXA
                    }
                }
                default -> {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * Which action the kernel takes of {@code chosen} (a newer filter's) and {@code older}'s, as
     * seccomp_run_filters orders them: the lower action value (KILL the lowest), the newer on a tie.
     */
    public static int precedence(int chosen, int older) {
        return (older & 0xffff0000) < (chosen & 0xffff0000) ? older : chosen;
    }
}
