package org.heptap.rtcp;

import java.nio.charset.StandardCharsets;

/**
 * End-of-call media statistics that phones and SBCs put in BYE and its 200 OK (rtcp-json.md §6)
 * as one JSON quality report per header, sent as HEP type 34 ("MOS full report").
 *
 * <p>{@code X-RTP-Stat} / {@code P-RTP-Stat} ({@code PS=…;OS=…;PR=…;…}) describe both
 * directions from the point of view of the message's sender ({@code "direction":"both"});
 * {@code RTP-RxStat} what it received ({@code "rx"}), {@code RTP-TxStat} what it sent
 * ({@code "tx"}). Known keys get stable names (packets_sent, packets_received, packets_lost,
 * jitter, latency, duration, codec…); every key also appears verbatim under {@code "fields"}, and
 * the header text under {@code "raw"}, because vendors differ and an engineer must see what the
 * phone said. Values are JSON numbers when the text is a plain number, else strings.
 */
public final class RtpStatWriter {
    /** The headers recognised, in the order they are looked for. */
    public static final String[] HEADERS = {"X-RTP-Stat", "P-RTP-Stat", "RTP-RxStat", "RTP-TxStat"};

    private final JsonBuffer out = new JsonBuffer();

    public byte[] buffer() {
        return out.bytes();
    }

    public String text() {
        return out.toString();
    }

    /**
     * Writes one report. {@code header} is one of {@link #HEADERS}; {@code message} says which
     * SIP message carried it ({@code "BYE"} or {@code "200 BYE"}); {@code reporter} is the
     * sender's address text. Returns the length, or 0 when the value holds no {@code key=value}.
     */
    public int write(String header, byte[] b, int off, int len, String message, String reporter) {
        out.clear();
        String direction = header.equals("RTP-RxStat") ? "rx" : header.equals("RTP-TxStat") ? "tx" : "both";
        boolean rx = direction.equals("rx");
        out.ch('{')
                .key("report")
                .string(header)
                .ch(',')
                .key("direction")
                .string(direction)
                .ch(',')
                .key("message")
                .string(message)
                .ch(',')
                .key("reporter")
                .string(reporter);
        // X-RTP-Stat separates with ';' (a ',' then separates rx,tx pairs inside a value)
        byte sep = indexOf(b, off, off + len, (byte) ';') >= 0 ? (byte) ';' : (byte) ',';
        int pairs = 0;
        StringBuilder fields = new StringBuilder();
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int te = indexOf(b, pos, end, sep);
            if (te < 0) te = end;
            int ks = VqReportWriter.skipWs(b, pos, te);
            int eq = indexOf(b, ks, te, (byte) '=');
            if (eq > ks) {
                String key = new String(b, ks, VqReportWriter.trimEnd(b, ks, eq) - ks, StandardCharsets.ISO_8859_1);
                int vs = VqReportWriter.skipWs(b, eq + 1, te);
                int ve = VqReportWriter.trimEnd(b, vs, te);
                String name = normalName(key, rx);
                if (name != null) {
                    out.ch(',').key(name);
                    value(b, vs, ve);
                }
                if (fields.length() > 0) fields.append(',');
                int mark = out.length();
                out.string(key).ch(':');
                value(b, vs, ve);
                fields.append(new String(out.bytes(), mark, out.length() - mark, StandardCharsets.UTF_8));
                out.setLength(mark);
                pairs++;
            }
            pos = te + 1;
        }
        if (pairs == 0) return 0;
        out.ch(',').key("fields").ch('{').ascii(ascii(fields)).ch('}');
        out.ch(',').key("raw").string(b, off, len).ch('}');
        return out.overflowed() ? 0 : out.length();
    }

    private static String ascii(StringBuilder sb) {
        return sb.toString(); // already escaped JSON text
    }

    /** Stable key for the common vendor keys; null for the others (kept under "fields" only). */
    static String normalName(String key, boolean rx) {
        return switch (key) {
            case "PS" -> "packets_sent";
            case "OS" -> "octets_sent";
            case "PR" -> "packets_received";
            case "OR" -> "octets_received";
            case "PL", "Lost" -> "packets_lost";
            case "JI", "Jitter" -> "jitter";
            case "LA", "Latency" -> "latency";
            case "DU", "Dur" -> "duration";
            case "EN" -> "codec_encoder";
            case "DE" -> "codec_decoder";
            case "Codec" -> "codec";
            case "Pkt" -> rx ? "packets_received" : "packets_sent";
            case "Oct" -> rx ? "octets_received" : "octets_sent";
            case "SSRC" -> "ssrc";
            case "MOS" -> "mos";
            case "RF" -> "r_factor";
            case "CS" -> "call_setup";
            case "LostPct" -> "loss_percent";
            default -> null;
        };
    }

    private void value(byte[] b, int s, int e) {
        if (VqReportWriter.isJsonNumber(b, s, e)) {
            for (int i = s; i < e; i++) out.ch((char) b[i]);
        } else {
            out.string(b, s, e - s);
        }
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        return VqReportWriter.indexOf(b, from, to, c);
    }
}
