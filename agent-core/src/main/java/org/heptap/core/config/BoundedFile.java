package org.heptap.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a file an operator named (configuration, plan, key, certificate) whole, but never more
 * than a limit: a file given by mistake (a capture, a log, a device such as {@code /dev/zero})
 * is refused with its size instead of filling the heap. The size is checked before reading, and
 * the read itself stops one byte past the limit, so a file that grows meanwhile, or reports no
 * size at all, cannot get around it.
 */
public final class BoundedFile {
    private static final long MB = 1 << 20;

    private BoundedFile() {}

    /** A file over the limit; its message reads {@code 2.1 MB is larger than a configuration file may be (1 MB)}. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        private TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * The bytes of {@code file}, at most {@code limit} of them.
     *
     * @param what what the file is meant to be, for the message: "a configuration file"
     * @throws TooLargeException when the file holds more than {@code limit} bytes
     * @throws IOException       when it cannot be read (a directory, no such file, no permission)
     */
    public static byte[] read(Path file, long limit, String what) throws IOException {
        if (Files.isDirectory(file)) throw new IOException("is a directory");
        long size = Files.size(file);
        if (size > limit) throw tooLarge(size, limit, what);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        }
        if (bytes.length > limit) {
            // grew while being read, or a device/pipe whose size says nothing
            throw new TooLargeException("larger than " + what + " may be (more than " + sizeText(limit) + " read)");
        }
        return bytes;
    }

    /** Why a file could not be read, in an operator's words. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static TooLargeException tooLarge(long size, long limit, String what) {
        String shown = sizeText(size);
        // just over the limit would read "1.0 MB is larger than ... (1 MB)": exact bytes then
        if (Math.round(size * 10.0 / MB) <= Math.round(limit * 10.0 / MB)) shown = size + " bytes";
        return new TooLargeException(shown + " is larger than " + what + " may be (" + sizeText(limit) + ")");
    }

    /** {@code 2.1 MB}, {@code 1 MB} for whole megabytes, bytes below one. */
    static String sizeText(long bytes) {
        if (bytes < MB) return bytes + " bytes";
        if (bytes % MB == 0) return bytes / MB + " MB";
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) MB);
    }
}
