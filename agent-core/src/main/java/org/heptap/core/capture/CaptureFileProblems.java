package org.heptap.core.capture;

/**
 * Damage found while reading one capture file: counted, the last one kept for the operator, and
 * the first few logged (a file full of bad blocks must not flood the log).
 */
final class CaptureFileProblems {
    private static final System.Logger LOG = System.getLogger(PcapFileSource.class.getName());
    private static final int LOGGED = 10;

    private final String file;
    private long count;
    private String last;

    CaptureFileProblems(String file) {
        this.file = file;
    }

    /**
     * Reports damage at the {@code number}th (1-based) record or block ({@code unit}) of the
     * file, which starts at byte {@code offset}: {@code file: record 17 at byte 2345: what}.
     */
    void report(String unit, long number, long offset, String what) {
        count++;
        last = file + ": " + unit + " " + number + " at byte " + offset + ": " + what;
        if (count <= LOGGED) {
            LOG.log(System.Logger.Level.WARNING, last);
        } else if (count == LOGGED + 1) {
            LOG.log(System.Logger.Level.WARNING, file + ": further problems are counted, not logged");
        }
    }

    long count() {
        return count;
    }

    /** The most recent problem, or null when there was none. */
    String last() {
        return last;
    }
}
