package org.umview.syscall;

/** Linux x86_64, 64-bit ABI. */
public final class X86_64 implements Architecture {
    public static final X86_64 INSTANCE = new X86_64();

    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    /* struct user_regs_struct: orig_rax is the 16th word, rax the 11th. */
    private static final int ORIG_RAX = 15 * 8;
    private static final int RAX = 10 * 8;

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
        return ORIG_RAX;
    }

    @Override
    public int returnValueOffset() {
        return RAX;
    }
}
