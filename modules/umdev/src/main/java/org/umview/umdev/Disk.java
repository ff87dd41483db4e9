package org.umview.umdev;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A partitioned disk image: the whole disk, and its partitions as they were when the table
 * was last read (at the mount, and at each BLKRRPART, which fdisk and sfdisk ask after
 * writing a table).
 */
final class Disk implements Storage {
    private final FileStorage image;
    private volatile List<PartitionTable.Slice> partitions;

    Disk(FileStorage image) {
        this.image = image;
        this.partitions = PartitionTable.read(image);
    }

    List<PartitionTable.Slice> partitions() {
        return partitions;
    }

    @Override
    public long size() {
        return image.size();
    }

    @Override
    public int read(ByteBuffer into, long offset) {
        return image.read(into, offset);
    }

    @Override
    public int write(ByteBuffer from, long offset) {
        return image.write(from, offset);
    }

    @Override
    public void reread() {
        partitions = PartitionTable.read(image);
    }

    @Override
    public void sync() {
        image.sync();
    }

    @Override
    public void close() {
        image.close();
    }

    /** Partition {@code number} of this disk, as the table says now. */
    Storage partition(int number) {
        return new Storage() {
            private PartitionTable.Slice slice() {
                for (PartitionTable.Slice slice : partitions) {
                    if (slice.number() == number) {
                        return slice;
                    }
                }
                return null;
            }

            @Override
            public boolean present() {
                return slice() != null;
            }

            @Override
            public long size() {
                PartitionTable.Slice slice = slice();
                return slice == null ? 0 : Math.min(slice.length(), Math.max(0, image.size() - slice.start()));
            }

            @Override
            public long start() {
                PartitionTable.Slice slice = slice();
                return slice == null ? 0 : slice.start();
            }

            @Override
            public int read(ByteBuffer into, long offset) {
                long size = size();
                if (offset >= size) {
                    return 0;
                }
                ByteBuffer part = into.slice(into.position(), (int) Math.min(into.remaining(), size - offset));
                int n = image.read(part, start() + offset);
                into.position(into.position() + n);
                return n;
            }

            @Override
            public int write(ByteBuffer from, long offset) {
                long size = size();
                if (offset >= size) {
                    return 0;
                }
                ByteBuffer part = from.slice(from.position(), (int) Math.min(from.remaining(), size - offset));
                int n = image.write(part, start() + offset);
                from.position(from.position() + n);
                return n;
            }

            @Override
            public void sync() {
                image.sync();
            }
        };
    }
}
