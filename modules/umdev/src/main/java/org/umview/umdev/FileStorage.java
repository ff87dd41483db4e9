package org.umview.umdev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A disk image file on the host. */
final class FileStorage implements Storage {
    private final FileChannel image;

    FileStorage(FileChannel image) {
        this.image = image;
    }

    @Override
    public long size() {
        try {
            return image.size() / PartitionTable.SECTOR * PartitionTable.SECTOR;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int read(ByteBuffer into, long offset) {
        int wanted = (int) Math.max(0, Math.min(into.remaining(), size() - offset));
        int start = into.position();
        ByteBuffer part = into.slice(start, wanted);
        try {
            while (part.hasRemaining() && image.read(part, offset + part.position()) > 0) {
                // a short read of a regular file only happens at its end
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        into.position(start + part.position());
        return part.position();
    }

    @Override
    public int write(ByteBuffer from, long offset) {
        int wanted = (int) Math.max(0, Math.min(from.remaining(), size() - offset));
        int start = from.position();
        ByteBuffer part = from.slice(start, wanted);
        try {
            while (part.hasRemaining()) {
                image.write(part, offset + part.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        from.position(start + wanted);
        return wanted;
    }

    @Override
    public void sync() {
        try {
            image.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            image.close();
        } catch (IOException e) {
            // nothing was pending: writes went to the file as they came
        }
    }
}
