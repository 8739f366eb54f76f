package org.heptap.rtcp;

/**
 * A validated compound RTCP packet (RFC 3550 §6, RFC 3611): the offsets of its packets, report
 * blocks, SDES chunks/items and XR blocks in the caller's buffer, filled by {@link RtcpParser}.
 * Reused for every datagram; nothing is copied. All accessors read bytes that the parser has
 * checked to lie inside the datagram.
 */
public final class RtcpCompound {
    public static final int MAX_PACKETS = 32;
    /** SDES items remembered for the first chunk of each SDES packet. */
    public static final int MAX_ITEMS = 16;
    /** XR blocks remembered per compound. */
    public static final int MAX_XR_BLOCKS = 16;

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** RFC 4585 transport-layer feedback (NACK, ...). */
    public static final int RTPFB = 205;
    /** RFC 4585 payload-specific feedback (PLI, FIR, REMB, ...). */
    public static final int PSFB = 206;

    public static final int XR = 207;

    public static final int XR_LOSS_RLE = 1;
    public static final int XR_DUP_RLE = 2;
    public static final int XR_STAT_SUMMARY = 6;
    public static final int XR_VOIP_METRICS = 7;

    byte[] buf = new byte[0];
    int count;
    final int[] type = new int[MAX_PACKETS];
    final int[] countField = new int[MAX_PACKETS];
    final int[] start = new int[MAX_PACKETS];
    final int[] size = new int[MAX_PACKETS];
    /** Offset of the first report block (SR/RR), or of the first SDES chunk. */
    final int[] bodyStart = new int[MAX_PACKETS];
    /** SDES: items of the first chunk, as [packet] → first index into the item arrays, and their number. */
    final int[] firstItem = new int[MAX_PACKETS];

    final int[] itemCount = new int[MAX_PACKETS];
    int items;
    final int[] itemType = new int[MAX_PACKETS * 2];
    final int[] itemOff = new int[MAX_PACKETS * 2];
    final int[] itemLen = new int[MAX_PACKETS * 2];
    int xrBlocks;
    final int[] xrPacket = new int[MAX_XR_BLOCKS];
    final int[] xrType = new int[MAX_XR_BLOCKS];
    final int[] xrOff = new int[MAX_XR_BLOCKS];
    final int[] xrLen = new int[MAX_XR_BLOCKS];

    void reset(byte[] b) {
        buf = b;
        count = 0;
        items = 0;
        xrBlocks = 0;
    }

    public byte[] buffer() {
        return buf;
    }

    /** Number of RTCP packets in the compound. */
    public int packetCount() {
        return count;
    }

    /** Packet type (200 SR, 201 RR, 202 SDES, 203 BYE, 204 APP, 205 RTPFB, 206 PSFB, 207 XR, or other). */
    public int type(int p) {
        return type[p];
    }

    /** The 5-bit count field: report count (SR/RR), source count (SDES, BYE), subtype (APP), FMT (RTPFB/PSFB). */
    public int countField(int p) {
        return countField[p];
    }

    public int packetOffset(int p) {
        return start[p];
    }

    public int packetSize(int p) {
        return size[p];
    }

    /** SSRC of the packet's sender (SR, RR, APP, XR; SDES: first chunk's SSRC; BYE: first SSRC); 0 when absent. */
    public long ssrc(int p) {
        return size[p] >= 8 ? u32(start[p] + 4) : 0;
    }

    // ---- SR sender information
    public long ntpSeconds(int p) {
        return u32(start[p] + 8);
    }

    public long ntpFraction(int p) {
        return u32(start[p] + 12);
    }

    public long rtpTimestamp(int p) {
        return u32(start[p] + 16);
    }

    public long senderPackets(int p) {
        return u32(start[p] + 20);
    }

    public long senderOctets(int p) {
        return u32(start[p] + 24);
    }

    // ---- report blocks (SR/RR), b < countField(p)
    private int block(int p, int b) {
        return bodyStart[p] + 24 * b;
    }

    public long blockSsrc(int p, int b) {
        return u32(block(p, b));
    }

    public int blockFractionLost(int p, int b) {
        return buf[block(p, b) + 4] & 0xff;
    }
    /** Cumulative number of packets lost: a signed 24-bit value (RFC 3550 §6.4.1). */
    public int blockCumulativeLost(int p, int b) {
        int o = block(p, b) + 5;
        int v = ((buf[o] & 0xff) << 16) | ((buf[o + 1] & 0xff) << 8) | (buf[o + 2] & 0xff);
        return (v << 8) >> 8;
    }

    public long blockHighestSeq(int p, int b) {
        return u32(block(p, b) + 8);
    }

    public long blockJitter(int p, int b) {
        return u32(block(p, b) + 12);
    }

    public long blockLsr(int p, int b) {
        return u32(block(p, b) + 16);
    }

    public long blockDlsr(int p, int b) {
        return u32(block(p, b) + 20);
    }

    // ---- BYE: sources, then an optional reason (the parser checked it fits)
    public long byeSsrc(int p, int i) {
        return u32(start[p] + 4 + 4 * i);
    }
    /** Offset of the reason text, or -1 when the BYE has none. */
    public int byeReasonOffset(int p) {
        return size[p] > 4 + 4 * countField[p] ? start[p] + 5 + 4 * countField[p] : -1;
    }

    public int byeReasonLength(int p) {
        return buf[start[p] + 4 + 4 * countField[p]] & 0xff;
    }

    // ---- APP (RFC 3550 §6.7): SSRC, 4-character name, application data
    public int appNameOffset(int p) {
        return start[p] + 8;
    }

    public int appDataLength(int p) {
        return size[p] - 12;
    }

    // ---- RTPFB / PSFB (RFC 4585 §6.1): sender SSRC, media source SSRC, feedback control information
    public long feedbackMediaSsrc(int p) {
        return u32(start[p] + 8);
    }

    public int feedbackFciLength(int p) {
        return size[p] - 12;
    }

    // ---- SDES: first chunk's items
    public int sdesItemCount(int p) {
        return itemCount[p];
    }

    public int sdesItemType(int p, int i) {
        return itemType[firstItem[p] + i];
    }

    public int sdesItemOffset(int p, int i) {
        return itemOff[firstItem[p] + i];
    }

    public int sdesItemLength(int p, int i) {
        return itemLen[firstItem[p] + i];
    }

    // ---- XR blocks (all XR packets of the compound)
    public int xrBlockCount() {
        return xrBlocks;
    }

    public int xrBlockPacket(int x) {
        return xrPacket[x];
    }

    public int xrBlockType(int x) {
        return xrType[x];
    }
    /** Offset of the block header (BT, type-specific, length). */
    public int xrBlockOffset(int x) {
        return xrOff[x];
    }
    /** Whole block size in bytes, header included. */
    public int xrBlockLength(int x) {
        return xrLen[x];
    }

    /** Unsigned byte {@code at} bytes into XR block {@code x}. */
    public int xrU8(int x, int at) {
        return buf[xrOff[x] + at] & 0xff;
    }

    public int xrU16(int x, int at) {
        return ((buf[xrOff[x] + at] & 0xff) << 8) | (buf[xrOff[x] + at + 1] & 0xff);
    }

    public long xrU32(int x, int at) {
        return u32(xrOff[x] + at);
    }

    long u32(int o) {
        return ((buf[o] & 0xffL) << 24)
                | ((buf[o + 1] & 0xffL) << 16)
                | ((buf[o + 2] & 0xffL) << 8)
                | (buf[o + 3] & 0xffL);
    }
}
