package org.umview.syscall;

/** Linux x86_64, 64-bit ABI. */
public final class X86_64 implements Architecture {
    public static final X86_64 INSTANCE = new X86_64();

    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    /* struct user_regs_struct word indices. */
    private static final int R10 = 7;
    private static final int R9 = 8;
    private static final int R8 = 9;
    private static final int RAX = 10;
    private static final int RDX = 12;
    private static final int RSI = 13;
    private static final int RDI = 14;
    private static final int ORIG_RAX = 15;
    private static final int RIP = 16;
    private static final int WORDS = 27;
    private static final int[] ARGUMENTS = {RDI, RSI, RDX, R10, R8, R9};

    private final SyscallTable table = SyscallTable.load("x86_64.tbl");

    private X86_64() {
    }

    @Override
    public int auditArch() {
        return AUDIT_ARCH_X86_64;
    }

    @Override
    public SyscallTable syscalls() {
        return table;
    }

    @Override
    public int syscallNumberOffset() {
        return ORIG_RAX * 8;
    }

    @Override
    public int returnValueOffset() {
        return RAX * 8;
    }

    @Override
    public int registerWords() {
        return WORDS;
    }

    @Override
    public int argumentRegister(int n) {
        return ARGUMENTS[n];
    }

    @Override
    public int syscallNumberRegister() {
        return ORIG_RAX;
    }

    @Override
    public int returnRegister() {
        return RAX;
    }

    @Override
    public int stackPointerRegister() {
        return 19; // rsp in struct user_regs_struct
    }

    @Override
    public int instructionPointerRegister() {
        return RIP;
    }

    @Override
    public int syscallInstructionLength() {
        return 2;
    }

    @Override
    public int protReadWrite() {
        return 0x3;
    }

    @Override
    public int mapPrivateAnonymous() {
        return 0x22;
    }
}
