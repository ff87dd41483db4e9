package org.umview.umdev;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/** RAM, in 64 KiB chunks made when first written: a large, mostly empty disk costs little. */
final class RamStorage implements Storage {
    private static final int CHUNK = 64 * 1024;

    private final long size;
    private final ConcurrentHashMap<Long, byte[]> chunks = new ConcurrentHashMap<>();

    RamStorage(long size) {
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer into, long offset) {
        int total = (int) Math.max(0, Math.min(into.remaining(), size - offset));
        for (int done = 0; done < total; ) {
            long at = offset + done;
            int within = (int) (at % CHUNK);
            int n = Math.min(total - done, CHUNK - within);
            byte[] chunk = chunks.get(at / CHUNK);
            if (chunk == null) {
                into.put(new byte[n]);
            } else {
                into.put(chunk, within, n);
            }
            done += n;
        }
        return total;
    }

    @Override
    public int write(ByteBuffer from, long offset) {
        int total = (int) Math.max(0, Math.min(from.remaining(), size - offset));
        for (int done = 0; done < total; ) {
            long at = offset + done;
            int within = (int) (at % CHUNK);
            int n = Math.min(total - done, CHUNK - within);
            from.get(chunks.computeIfAbsent(at / CHUNK, c -> new byte[CHUNK]), within, n);
            done += n;
        }
        return total;
    }
}
