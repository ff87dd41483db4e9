package org.umview.umdev;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The partitions of a disk as Linux numbers them: GPT entries by their slot; MBR primary
 * partitions 1-4 by slot and logical ones (in the extended partition's chain) from 5.
 */
final class PartitionTable {
    static final int SECTOR = 512;
    private static final int MAX_LOGICAL = 256;

    /** A partition: its number and where it lies on the disk, in bytes. */
    record Slice(int number, long start, long length) {
    }

    private PartitionTable() {
    }

    static List<Slice> read(Storage disk) {
        ByteBuffer mbr = sector(disk, 0);
        if (mbr == null || (mbr.getShort(510) & 0xffff) != 0xaa55) {
            return List.of();
        }
        for (int slot = 0; slot < 4; slot++) {
            if ((mbr.get(446 + slot * 16 + 4) & 0xff) == 0xee) {
                return gpt(disk);
            }
        }
        return mbr(disk, mbr);
    }

    private static List<Slice> mbr(Storage disk, ByteBuffer mbr) {
        List<Slice> slices = new ArrayList<>();
        long extended = -1;
        for (int slot = 0; slot < 4; slot++) {
            int entry = 446 + slot * 16;
            int type = mbr.get(entry + 4) & 0xff;
            long start = Integer.toUnsignedLong(mbr.getInt(entry + 8));
            long sectors = Integer.toUnsignedLong(mbr.getInt(entry + 12));
            if (type == 0 || sectors == 0) {
                continue;
            }
            if (type == 0x05 || type == 0x0f || type == 0x85) {
                extended = start;
                // Linux shows an extended partition as a 1 KiB device (room for a boot loader).
                slices.add(new Slice(slot + 1, start * SECTOR, Math.min(sectors, 2) * SECTOR));
            } else {
                slices.add(new Slice(slot + 1, start * SECTOR, sectors * SECTOR));
            }
        }
        long next = extended;
        for (int number = 5; next >= 0 && number < 5 + MAX_LOGICAL; number++) {
            ByteBuffer ebr = sector(disk, next);
            if (ebr == null || (ebr.getShort(510) & 0xffff) != 0xaa55) {
                break;
            }
            long start = Integer.toUnsignedLong(ebr.getInt(446 + 8));
            long sectors = Integer.toUnsignedLong(ebr.getInt(446 + 12));
            if ((ebr.get(446 + 4) & 0xff) != 0 && sectors != 0) {
                slices.add(new Slice(number, (next + start) * SECTOR, sectors * SECTOR));
            }
            long link = Integer.toUnsignedLong(ebr.getInt(446 + 16 + 8));
            next = (ebr.get(446 + 16 + 4) & 0xff) == 0 || link == 0 ? -1 : extended + link;
        }
        return slices;
    }

    private static List<Slice> gpt(Storage disk) {
        ByteBuffer header = sector(disk, 1);
        if (header == null || header.getLong(0) != 0x5452415020494645L /* "EFI PART" */) {
            return List.of();
        }
        long entries = header.getLong(72);
        int count = Math.min(header.getInt(80), 1024);
        int size = header.getInt(84);
        if (size < 128 || size > 4096 || count <= 0) {
            return List.of();
        }
        ByteBuffer table = ByteBuffer.allocate(count * size).order(ByteOrder.LITTLE_ENDIAN);
        disk.read(table, entries * SECTOR);
        List<Slice> slices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int entry = i * size;
            if (table.getLong(entry) == 0 && table.getLong(entry + 8) == 0) {
                continue;
            }
            long first = table.getLong(entry + 32);
            long last = table.getLong(entry + 40);
            if (last >= first && first > 0) {
                slices.add(new Slice(i + 1, first * SECTOR, (last - first + 1) * SECTOR));
            }
        }
        return slices;
    }

    private static ByteBuffer sector(Storage disk, long number) {
        ByteBuffer sector = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        if (number < 0 || (number + 1) * SECTOR > disk.size() || disk.read(sector, number * SECTOR) != SECTOR) {
            return null;
        }
        return sector;
    }
}
