package org.umview.umfuse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The body of a request, laid out as the kernel lays out its fuse_*_in structs: little-endian, packed. */
final class Message {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    Message u32(long value) {
        bytes.write(scratch.putInt(0, (int) value).array(), 0, 4);
        return this;
    }

    Message u64(long value) {
        bytes.write(scratch.putLong(0, value).array(), 0, 8);
        return this;
    }

    /** A name as FUSE sends it: UTF-8 bytes and a NUL. */
    Message name(String name) {
        bytes.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        bytes.write(0);
        return this;
    }

    Message data(ByteBuffer data) {
        bytes.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        return this;
    }

    byte[] toBytes() {
        return bytes.toByteArray();
    }
}
