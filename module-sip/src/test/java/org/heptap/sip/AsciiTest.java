package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Ascii#indexOf} reads eight bytes at a time: it must find exactly what a byte loop finds. */
class AsciiTest {
    /** Bytes next to the ones searched for, and the ones whose high bit or borrow could fool a word test. */
    private static final byte[] ALPHABET = {
        '\n', '\r', ':', ';', 0x0b, 0x09, 0x00, 0x01, (byte) 0x8a, (byte) 0xff, 'a', 0x3b
    };

    @Test
    void indexOfMatchesAByteLoopForEveryRangeAndByte() {
        SplittableRandom random = new SplittableRandom(15);
        for (int round = 0; round < 300; round++) {
            byte[] b = new byte[1 + random.nextInt(48)];
            for (int i = 0; i < b.length; i++) b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            for (byte c : ALPHABET) {
                for (int from = 0; from <= b.length; from++) {
                    for (int to = from; to <= b.length; to++) {
                        assertEquals(byteLoop(b, from, to, c), Ascii.indexOf(b, from, to, c), () -> "range and byte");
                    }
                }
            }
        }
    }

    @Test
    void indexOfFindsTheFirstOfSeveralInOneWord() {
        byte[] b = "abc\n\n\nxyz\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(3, Ascii.indexOf(b, 0, b.length, (byte) '\n'));
        assertEquals(5, Ascii.indexOf(b, 5, b.length, (byte) '\n'));
        assertEquals(9, Ascii.indexOf(b, 6, b.length, (byte) '\n'));
        assertEquals(-1, Ascii.indexOf(b, 6, 9, (byte) '\n'));
    }

    @Test
    void aFoldedNameMatchesExactlyWhatTheByteComparisonMatches() {
        SplittableRandom random = new SplittableRandom(21);
        String[] names = {
            "",
            "v",
            "To",
            "Via",
            "CSeq",
            "Allow",
            "Server",
            "Call-ID",
            "Expires",
            "Max-Forwards",
            "Content-Length",
            "P-Asserted-Identity",
            "X-Custom_Header.1",
            "abcdefgh",
            "abcdefghijklmnop"
        };
        for (String name : names) {
            byte[] lower = Ascii.lowerBytes(name);
            Ascii.FoldedName folded = new Ascii.FoldedName(lower);
            for (int round = 0; round < 2000; round++) {
                byte[] candidate = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                for (int i = 0; i < candidate.length; i++) {
                    int roll = random.nextInt(10);
                    if (roll < 3) candidate[i] ^= 0x20; // the other case, or a control byte for '-' and digits
                    else if (roll == 3) candidate[i] = (byte) random.nextInt(256);
                }
                // the name at the array's end (no word to load there), in its middle, and one byte short
                int pad = random.nextInt(12);
                byte[] b = new byte[pad + candidate.length + random.nextInt(10)];
                for (int i = 0; i < b.length; i++) b[i] = (byte) random.nextInt(256);
                System.arraycopy(candidate, 0, b, pad, candidate.length);
                int len = candidate.length - (random.nextInt(8) == 0 && candidate.length > 0 ? 1 : 0);
                boolean expected = Ascii.equalsIgnoreCase(b, pad, len, lower);
                assertEquals(
                        expected, folded.matches(b, pad, len), () -> name + " against " + java.util.Arrays.toString(b));
            }
        }
    }

    private static int byteLoop(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) return i;
        }
        return -1;
    }
}
