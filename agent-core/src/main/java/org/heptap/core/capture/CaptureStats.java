package org.heptap.core.capture;

/** libpcap counters: packets received, dropped by the kernel buffer, dropped by the interface. */
public record CaptureStats(long received, long dropped, long ifDropped) {}
