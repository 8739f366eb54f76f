package org.heptap.pcap;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A validated {@code type: pcap} profile.
 *
 * @param directory      where the files go (made when missing)
 * @param baseName       the start of every file name: node name and profile name, made file-safe
 * @param rotateInterval a new file after this long (zero: never by time)
 * @param rotateSize     a new file once one holds this many bytes on disk (zero: never by size)
 * @param gzip           gzip-compress the files ({@code .pcap.gz})
 * @param maxTotalSize   retention: delete the oldest files while all of them take more (zero: no limit)
 * @param maxAge         retention: delete files older than this (zero: no limit)
 * @param queue          messages waiting for the writer thread; more are dropped (live) or wait (replay)
 */
record PcapSettings(
        Path directory,
        String baseName,
        Duration rotateInterval,
        long rotateSize,
        boolean gzip,
        long maxTotalSize,
        Duration maxAge,
        int queue) {}
