package org.umview.memory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;
import org.umview.libc.Errno;
import org.umview.libc.LibC;
import org.umview.libc.Native;

/**
 * Reads and writes a tracee's memory with process_vm_readv/writev (any thread may do so).
 * The kernel never splits one iovec, so strings are read page by page: one that ends just
 * before an unmapped page is still read. Writes to read-only pages fall back to /proc/PID/mem. A bad address in
 * the tracee is reported as {@link TraceeMemoryException} with EFAULT, never as a crash.
 */
public final class TraceeMemory {
    private static final int PAGE = 4096;
    private static final int BUFFER = 16 * PAGE;
    private static final int IOVEC = 16;
    private static final int FIRST_READ = 256;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private final LibC libc = Native.libc();

    /** Reads {@code length} bytes at {@code address}. */
    public byte[] read(int pid, long address, int length) {
        byte[] out = new byte[length];
        read(pid, address, out, 0, length);
        return out;
    }

    /** Reads {@code length} bytes at {@code address} into {@code out} from {@code at}. */
    public void read(int pid, long address, byte[] out, int at, int length) {
        Buffers b = BUFFERS.get();
        int done = 0;
        while (done < length) {
            long from = address + done;
            int chunk = Math.min(length - done, BUFFER);
            long got = transfer(false, pid, b, from, chunk);
            if (got <= 0) {
                throw new TraceeMemoryException(Errno.EFAULT, address);
            }
            b.data.get(0, out, at + done, (int) got);
            done += (int) got;
        }
    }

    /**
     * Reads a NUL-terminated string of at most {@code max} bytes; null if longer. A short read
     * comes first (most paths are short, and a read costs by its length), then the rest of
     * its page, then page by page.
     */
    public String readString(int pid, long address, int max) {
        if (address == 0) {
            throw new TraceeMemoryException(Errno.EFAULT, address);
        }
        Buffers b = BUFFERS.get();
        byte[] text = new byte[Math.min(max, FIRST_READ)];
        int length = 0;
        long from = address;
        int want = FIRST_READ;
        while (length < max) {
            int chunk = (int) Math.min(Math.min(pageRemaining(from), want), max - length);
            long got = transfer(false, pid, b, from, chunk);
            if (got <= 0) {
                throw new TraceeMemoryException(Errno.EFAULT, address);
            }
            if (length + got > text.length) {
                text = java.util.Arrays.copyOf(text, (int) Math.min(max, Math.max(text.length * 2L, length + got)));
            }
            b.data.get(0, text, length, (int) got);
            for (int i = length; i < length + got; i++) {
                if (text[i] == 0) {
                    return new String(text, 0, i, StandardCharsets.UTF_8);
                }
            }
            length += (int) got;
            from += got;
            want = PAGE;
        }
        return null;
    }

    /** Writes {@code data} at {@code address}, through /proc/PID/mem where the page is read-only. */
    public void write(int pid, long address, byte[] data) {
        write(pid, address, data, 0, data.length);
    }

    /** Writes {@code length} bytes of {@code data} from {@code from} at {@code address}. */
    public void write(int pid, long address, byte[] data, int from, int length) {
        Buffers b = BUFFERS.get();
        int done = 0;
        while (done < length) {
            int chunk = Math.min(length - done, BUFFER);
            b.data.put(0, data, from + done, chunk);
            long put = transfer(true, pid, b, address + done, chunk);
            if (put <= 0) {
                writeThroughProc(pid, address + done, data, from + done, length - done);
                return;
            }
            done += (int) put;
        }
    }

    private long transfer(boolean write, int pid, Buffers b, long remote, int length) {
        b.localIov.putLong(0, b.data.address());
        b.localIov.putLong(8, length);
        b.remoteIov.putLong(0, remote);
        b.remoteIov.putLong(8, length);
        return write ? libc.process_vm_writev(pid, b.localIov, 1, b.remoteIov, 1, 0)
                : libc.process_vm_readv(pid, b.localIov, 1, b.remoteIov, 1, 0);
    }

    private static void writeThroughProc(int pid, long address, byte[] data, int offset, int length) {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "rw")) {
            mem.seek(address);
            mem.write(data, offset, length);
        } catch (IOException | IllegalArgumentException e) {
            throw new TraceeMemoryException(Errno.EFAULT, address);
        }
    }

    private static long pageRemaining(long address) {
        return PAGE - (address & (PAGE - 1));
    }

    private static final class Buffers {
        final Pointer data = Native.allocate(BUFFER);
        final Pointer localIov = Native.allocate(IOVEC);
        final Pointer remoteIov = Native.allocate(IOVEC);
    }
}
