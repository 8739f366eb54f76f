package org.heptap.core.message;

import java.nio.charset.StandardCharsets;
import org.heptap.core.capture.Frame;
import org.heptap.core.spi.ReplyChannel;

/**
 * The per-packet record that travels capture → decode → plan → transport.
 *
 * <p>One instance is owned by each pipeline thread and reset for every packet, so the hot path
 * allocates nothing. The payload is a slice of a buffer owned by the capture source (or
 * replaced by a module, e.g. a binary report converted to JSON); it is only valid during one plan run.
 *
 * <p>Modules keep their own per-packet state (a parsed header, etc.) in reusable objects and tie it
 * to {@link #sequence()}: state is valid for this packet iff it was computed for the current
 * sequence number. agent-core therefore needs to know no protocol.
 */
public final class Message {
    public static final int IP_PROTO_TCP = 6;
    public static final int IP_PROTO_UDP = 17;
    public static final int IP_PROTO_SCTP = 132;

    private long sequence;
    /** Module state kept with this message object (see {@link #attachment(int)}); grows on first use. */
    private Object[] attachments = new Object[0];

    private static final java.util.concurrent.atomic.AtomicInteger ATTACHMENT_KEYS =
            new java.util.concurrent.atomic.AtomicInteger();

    private long timestampMicros;
    private int ipVersion;
    private int ipProtocol;
    private final byte[] srcAddr = new byte[16];
    private final byte[] dstAddr = new byte[16];
    private int srcPort;
    private int dstPort;
    private int vlan = -1;
    private long tcpSequence;
    private int tcpFlags;

    private byte[] payload = EMPTY;
    private int payloadOffset;
    private int payloadLength;

    private int protocolType;

    private byte[] correlation = EMPTY;
    private int correlationOffset;
    private int correlationLength;

    private final StringBuilder tags = new StringBuilder();

    /** Extra numeric values for the wire format (see {@link #addNumber}), as parallel arrays. */
    public static final int MAX_NUMBERS = 4;

    private final int[] numberKeys = new int[MAX_NUMBERS];
    private final int[] numberValues = new int[MAX_NUMBERS];
    private int numberCount;

    /** Name of the socket profile this packet came from (for logs and console output). */
    private String socketName = "";

    private String srcText;
    private String dstText;

    /** The way back to the sender (collector sockets); null for captured packets. */
    private ReplyChannel replyChannel;

    /** The captured frame this message is, whole; null when it is not one frame (see {@link #frame()}). */
    private Frame frame;
    /** One line a module wrote for people (see {@link #setSummary}), or null. */
    private String summary;

    private static final byte[] EMPTY = new byte[0];

    /** Starts a new packet: clears every field and advances the sequence number. */
    public void reset() {
        sequence++;
        timestampMicros = 0;
        ipVersion = 0;
        ipProtocol = 0;
        srcPort = 0;
        dstPort = 0;
        vlan = -1;
        tcpSequence = 0;
        tcpFlags = 0;
        payload = EMPTY;
        payloadOffset = 0;
        payloadLength = 0;
        protocolType = 0;
        correlation = EMPTY;
        correlationOffset = 0;
        correlationLength = 0;
        if (tags.length() != 0) tags.setLength(0); // setLength's checks cost per packet, and tags are rare
        numberCount = 0;
        srcText = null;
        dstText = null;
        replyChannel = null;
        frame = null;
        summary = null;
    }

    /**
     * One line saying what this message reports, for transports that print for people (the
     * console prints it instead of the payload): set by a module on messages it makes itself,
     * e.g. a final quality report, never per captured packet.
     */
    public void setSummary(String line) {
        summary = line;
    }

    /** The line set with {@link #setSummary}, or null. */
    public String summary() {
        return summary;
    }

    public long sequence() {
        return sequence;
    }

    /**
     * A key for {@link #attachment(int)}: one per kind of state a module keeps with messages,
     * taken once (a static final in the module's class).
     */
    public static int newAttachmentKey() {
        return ATTACHMENT_KEYS.getAndIncrement();
    }

    /**
     * What a module attached to this message object under {@code key}, or null. A message is
     * reused for every packet of one pipeline thread, so this is how a module keeps per-packet
     * scratch state (a parsed message, a decoded report) next to the packet without a
     * thread-local look-up per plan call; it is not cleared per packet, the module decides
     * validity by {@link #sequence()}.
     */
    public Object attachment(int key) {
        Object[] a = attachments;
        return key < a.length ? a[key] : null;
    }

    public void attach(int key, Object value) {
        if (key >= attachments.length) attachments = java.util.Arrays.copyOf(attachments, key + 4);
        attachments[key] = value;
    }

    public long timestampMicros() {
        return timestampMicros;
    }

    public void setTimestampMicros(long micros) {
        this.timestampMicros = micros;
    }

    /** 4 or 6; 0 when no IP layer was decoded. */
    public int ipVersion() {
        return ipVersion;
    }

    public int ipProtocol() {
        return ipProtocol;
    }

    public void setIpProtocol(int proto) {
        this.ipProtocol = proto;
    }

    /** Source address bytes: the first 4 (IPv4) or 16 (IPv6) bytes are meaningful. */
    public byte[] srcAddr() {
        return srcAddr;
    }

    public byte[] dstAddr() {
        return dstAddr;
    }

    public int addrLength() {
        return ipVersion == 6 ? 16 : 4;
    }

    /** Copies addresses in; {@code version} is 4 or 6. */
    public void setAddresses(int version, byte[] src, int srcOff, byte[] dst, int dstOff) {
        int n = version == 6 ? 16 : 4;
        this.ipVersion = version;
        System.arraycopy(src, srcOff, srcAddr, 0, n);
        System.arraycopy(dst, dstOff, dstAddr, 0, n);
        srcText = null;
        dstText = null;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    public void setPorts(int src, int dst) {
        this.srcPort = src;
        this.dstPort = dst;
    }

    /** Innermost 802.1Q VLAN id, or -1 when untagged. */
    public int vlan() {
        return vlan;
    }

    public void setVlan(int vlan) {
        this.vlan = vlan;
    }

    /** TCP sequence number of the payload's first byte (unsigned 32 bits); 0 for other protocols. */
    public long tcpSequence() {
        return tcpSequence;
    }
    /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, ...); 0 for other protocols. */
    public int tcpFlags() {
        return tcpFlags;
    }

    public void setTcpSegment(long sequence, int flags) {
        this.tcpSequence = sequence;
        this.tcpFlags = flags;
    }

    /**
     * Copies where {@code other} came from (addresses, ports, protocol, VLAN, socket): for a
     * message framed out of a stream, which is a packet of its own with its flow's addresses.
     */
    public void copyAddressing(Message other) {
        ipVersion = other.ipVersion;
        ipProtocol = other.ipProtocol;
        System.arraycopy(other.srcAddr, 0, srcAddr, 0, 16);
        System.arraycopy(other.dstAddr, 0, dstAddr, 0, 16);
        srcPort = other.srcPort;
        dstPort = other.dstPort;
        vlan = other.vlan;
        socketName = other.socketName;
        srcText = null;
        dstText = null;
    }

    /**
     * Starts a new packet holding what a decoder filled into {@code from}: time, addressing, TCP
     * segment, the payload slice (not copied) and the frame. A replay decodes each frame once and
     * gives each socket that captures it this copy, so one socket's plan (which may set fields,
     * replace the payload or attach state) never changes what the next socket's plan sees.
     */
    public void copyDecoded(Message from) {
        reset();
        copyAddressing(from);
        timestampMicros = from.timestampMicros;
        tcpSequence = from.tcpSequence;
        tcpFlags = from.tcpFlags;
        payload = from.payload;
        payloadOffset = from.payloadOffset;
        payloadLength = from.payloadLength;
        frame = from.frame;
    }

    public byte[] payload() {
        return payload;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    public void setPayload(byte[] buf, int off, int len) {
        this.payload = buf;
        this.payloadOffset = off;
        this.payloadLength = len;
    }

    /** Protocol type of the payload, the number a module's parser sets for the encoders; 0 until one does. */
    public int protocolType() {
        return protocolType;
    }

    public void setProtocolType(int type) {
        this.protocolType = type;
    }

    public boolean hasCorrelationId() {
        return correlationLength > 0;
    }

    public byte[] correlationBuffer() {
        return correlation;
    }

    public int correlationOffset() {
        return correlationOffset;
    }

    public int correlationLength() {
        return correlationLength;
    }
    /** Sets the correlation id as a slice (often of the payload itself: no copy). */
    public void setCorrelationId(byte[] buf, int off, int len) {
        this.correlation = buf;
        this.correlationOffset = off;
        this.correlationLength = len;
    }

    public String correlationIdString() {
        return new String(correlation, correlationOffset, correlationLength, StandardCharsets.UTF_8);
    }

    /**
     * Attaches a numeric value under a key the encoders know (e.g. a wire format's field id: a
     * module that derives a value such as a MOS from the payload hands it to the encoder this
     * way, and agent-core needs to know neither the protocol nor the chunk). A key set twice
     * keeps the last value. Values are unsigned 16-bit; returns false when the value is out of
     * range or {@link #MAX_NUMBERS} different keys are already set.
     */
    public boolean addNumber(int key, int value) {
        if (value < 0 || value > 0xffff) return false;
        for (int i = 0; i < numberCount; i++) {
            if (numberKeys[i] == key) {
                numberValues[i] = value;
                return true;
            }
        }
        if (numberCount == MAX_NUMBERS) return false;
        numberKeys[numberCount] = key;
        numberValues[numberCount++] = value;
        return true;
    }

    /** Removes every value set by {@link #addNumber}. */
    public void clearNumbers() {
        numberCount = 0;
    }

    public int numberCount() {
        return numberCount;
    }

    public int numberKey(int i) {
        return numberKeys[i];
    }

    public int numberValue(int i) {
        return numberValues[i];
    }

    /** Tags appended by {@code set_tag}, as {@code k1=v1;k2=v2}. */
    public CharSequence tags() {
        return tags;
    }

    public void addTag(String key, String value) {
        if (tags.length() > 0) tags.append(';');
        tags.append(key).append('=').append(value);
    }

    /**
     * The way back to whoever sent this message, or null: only messages a collector socket
     * received have one (captured packets are only observed).
     */
    public ReplyChannel replyChannel() {
        return replyChannel;
    }

    public void setReplyChannel(ReplyChannel channel) {
        this.replyChannel = channel;
    }

    /**
     * The captured link-layer frame this message was decoded from, or null when the message is
     * not one captured frame. Read {@link Frame#data} from offset 0 for {@link Frame#length}
     * bytes ({@link Frame#wireLength} on the wire), with {@link Frame#linkType} and
     * {@link Frame#timestampNanos} ({@link Frame#nanosecondTime} says whether the nanoseconds are
     * real). The frame is the capture source's reused buffer: valid only while this message runs
     * through the plan, so a transport or tap copies what it keeps (in {@code send}), exactly as it
     * copies the payload.
     *
     * <p>Null for messages that arrived through a collector socket (an envelope relayed from another agent, raw datagrams), for
     * messages framed out of a TCP stream (a message may span several segments and a segment may
     * carry several messages, so no single frame is "the" message), for datagrams reassembled from
     * IP fragments, and for messages a module made up. Whoever needs a frame for those synthesises
     * one from the addresses, ports, time and payload. A tunnelled packet (GRE, VXLAN, IP-in-IP)
     * keeps its outer frame: that is what was captured.
     */
    public Frame frame() {
        return frame;
    }

    /** Set by the decoder for a message that is exactly one captured frame; see {@link #frame()}. */
    public void setFrame(Frame f) {
        this.frame = f;
    }

    public String socketName() {
        return socketName;
    }

    public void setSocketName(String name) {
        this.socketName = name;
    }

    /** Source address as text (dotted quad, or RFC 5952 IPv6); computed once per packet when asked. */
    public String srcIpText() {
        if (srcText == null) srcText = IpText.format(srcAddr, ipVersion);
        return srcText;
    }

    public String dstIpText() {
        if (dstText == null) dstText = IpText.format(dstAddr, ipVersion);
        return dstText;
    }
}
