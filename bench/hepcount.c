/*
 * hepcount - counting UDP sink for the heptap benchmark.
 *
 * Binds 127.0.0.1:PORT, drains the socket with recvmmsg(2) into a large receive buffer and
 * counts datagrams, bytes, datagrams that start with "HEP3", and HEP3 datagrams by the value of
 * their protocol-type chunk (vendor 0, type 0x000b: 1 = SIP, 5 = RTCP, 34 = RTP stream report,
 * other), the RTP reports also by whether their JSON says "final":true. It keeps the
 * socket's own drop counter two ways (SO_RXQ_OVFL per datagram, and the "drops" column of
 * /proc/net/udp for this socket's inode) so that a loss can be told apart: the sink's
 * (drops > 0) or the sender's (drops == 0 and fewer datagrams than sent).
 *
 * Exits after --idle seconds without a datagram once one has arrived, after --start-timeout
 * seconds if none ever arrives, or on SIGTERM/SIGINT (after draining what is queued), and
 * prints one JSON line on stdout. SIGUSR1 prints a {"snapshot":true,...} line of the counts so
 * far (after draining the socket) and goes on.
 *
 * Build: gcc -O2 -o hepcount hepcount.c
 * Usage: hepcount [--port N (0 = any)] [--port-file F] [--idle S (2)] [--start-timeout S (120)]
 *                 [--rcvbuf BYTES (256 MiB)]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif
#ifndef SO_RCVBUFFORCE
#define SO_RCVBUFFORCE 33
#endif

#define BATCH 256
#define BUFSZ 65536

static volatile sig_atomic_t stop_flag = 0, snapshot_flag = 0;
static void on_signal(int sig) { if (sig == SIGUSR1) snapshot_flag = 1; else stop_flag = 1; }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Drops of the UDP socket with this inode in /proc/net/udp (last column), -1 if not found. */
static long long proc_udp_drops(ino_t ino) {
    FILE *f = fopen("/proc/net/udp", "r");
    if (!f) return -1;
    char line[512];
    long long drops = -1;
    if (!fgets(line, sizeof line, f)) { fclose(f); return -1; }
    while (fgets(line, sizeof line, f)) {
        /* sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops */
        char *tok[16];
        int n = 0;
        for (char *s = strtok(line, " \t\n"); s && n < 16; s = strtok(NULL, " \t\n")) tok[n++] = s;
        if (n < 13) continue;
        if ((ino_t)strtoull(tok[9], NULL, 10) == ino) { drops = strtoll(tok[n - 1], NULL, 10); break; }
    }
    fclose(f);
    return drops;
}

int main(int argc, char **argv) {
    int port = 0;
    const char *port_file = NULL;
    double idle = 2.0, start_timeout = 120.0;
    long rcvbuf_want = 256L << 20;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc) port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--port-file") && i + 1 < argc) port_file = argv[++i];
        else if (!strcmp(argv[i], "--idle") && i + 1 < argc) idle = atof(argv[++i]);
        else if (!strcmp(argv[i], "--start-timeout") && i + 1 < argc) start_timeout = atof(argv[++i]);
        else if (!strcmp(argv[i], "--rcvbuf") && i + 1 < argc) rcvbuf_want = atol(argv[++i]);
        else { fprintf(stderr, "usage: %s [--port N] [--port-file F] [--idle S] [--start-timeout S] [--rcvbuf BYTES]\n", argv[0]); return 2; }
    }

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) { perror("socket"); return 1; }
    /* SO_RCVBUFFORCE ignores net.core.rmem_max (needs CAP_NET_ADMIN); else SO_RCVBUF, capped by it. */
    int want = rcvbuf_want > 0x3fffffff ? 0x3fffffff : (int)rcvbuf_want;
    const char *rcvbuf_how = "SO_RCVBUFFORCE";
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) < 0) {
        rcvbuf_how = "SO_RCVBUF";
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want) < 0) rcvbuf_how = "default";
    }
    int got = 0;
    socklen_t gl = sizeof got;
    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &gl);
    int one = 1;
    int ovfl_ok = setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one) == 0;

    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); return 1; }
    socklen_t sl = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &sl);
    port = ntohs(sa.sin_port);
    struct stat st;
    fstat(fd, &st);
    if (port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *pf = fopen(tmp, "w");
        if (!pf) { perror(port_file); return 1; }
        fprintf(pf, "%d\n", port);
        fclose(pf);
        rename(tmp, port_file); /* atomic: a reader sees the whole port or no file */
    }

    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_signal;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGUSR1, &act, NULL);

    static unsigned char bufs[BATCH][BUFSZ];
    static char ctrl[BATCH][CMSG_SPACE(sizeof(uint32_t))];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];

    unsigned long long datagrams = 0, bytes = 0, hep3 = 0, sip = 0, rtcp = 0, rtp_report = 0, rtp_final = 0, other_proto = 0,
                       no_proto = 0, bad_len = 0, non_hep3 = 0;
    uint32_t ovfl = 0;
    double t0 = now_s(), first = 0, last = 0;

    for (;;) {
        double t = now_s();
        if (datagrams == 0 && t - t0 > start_timeout) break;
        if (datagrams > 0 && t - last > idle) break;
        int drained_after_stop = stop_flag;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int pr = drained_after_stop ? 1 : poll(&p, 1, 100);
        if (pr < 0 && errno != EINTR) { perror("poll"); break; }
        int got_any = 0;
        for (;;) {
            for (int i = 0; i < BATCH; i++) {
                iov[i].iov_base = bufs[i];
                iov[i].iov_len = BUFSZ;
                memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
                msgs[i].msg_hdr.msg_iov = &iov[i];
                msgs[i].msg_hdr.msg_iovlen = 1;
                msgs[i].msg_hdr.msg_control = ctrl[i];
                msgs[i].msg_hdr.msg_controllen = sizeof ctrl[i];
            }
            int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
            if (n <= 0) break;
            got_any = 1;
            double tn = now_s();
            if (datagrams == 0) first = tn;
            last = tn;
            for (int i = 0; i < n; i++) {
                unsigned len = msgs[i].msg_len;
                const unsigned char *b = bufs[i];
                datagrams++;
                bytes += len;
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
                    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
                        uint32_t v;
                        memcpy(&v, CMSG_DATA(c), sizeof v);
                        if (v > ovfl) ovfl = v;
                    }
                }
                if (len < 6 || memcmp(b, "HEP3", 4) != 0) { non_hep3++; continue; }
                hep3++;
                unsigned total = ((unsigned)b[4] << 8) | b[5];
                if (total != len) bad_len++;
                int proto = -1;
                unsigned off = 6, end = total < len ? total : len;
                while (off + 6 <= end) {
                    unsigned vendor = ((unsigned)b[off] << 8) | b[off + 1];
                    unsigned type = ((unsigned)b[off + 2] << 8) | b[off + 3];
                    unsigned clen = ((unsigned)b[off + 4] << 8) | b[off + 5];
                    if (clen < 6 || off + clen > end) break;
                    if (vendor == 0 && type == 0x000b && clen == 7) { proto = b[off + 6]; break; }
                    off += clen;
                }
                if (proto == 1) sip++;
                else if (proto == 5) rtcp++;
                else if (proto == 34) {
                    rtp_report++;
                    if (memmem(b, end, "\"final\":true", 12)) rtp_final++;
                }
                else if (proto < 0) no_proto++;
                else other_proto++;
            }
        }
        if (drained_after_stop) break;
        (void)got_any;
        if (snapshot_flag) {  /* SIGUSR1: counts so far, after draining what was queued */
            snapshot_flag = 0;
            printf("{\"snapshot\":true,\"datagrams\":%llu,\"hep3\":%llu,\"hep3_sip\":%llu,\"hep3_rtcp\":%llu,"
                   "\"hep3_rtp_report\":%llu,\"hep3_rtp_final\":%llu,\"proc_udp_drops\":%lld}\n",
                   datagrams, hep3, sip, rtcp, rtp_report, rtp_final, proc_udp_drops(st.st_ino));
            fflush(stdout);
        }
    }

    long long pdrops = proc_udp_drops(st.st_ino);
    printf("{\"port\":%d,\"datagrams\":%llu,\"bytes\":%llu,\"hep3\":%llu,\"hep3_sip\":%llu,"
           "\"hep3_rtcp\":%llu,\"hep3_rtp_report\":%llu,\"hep3_rtp_final\":%llu,\"hep3_other\":%llu,\"hep3_no_proto\":%llu,\"hep3_bad_length\":%llu,"
           "\"non_hep3\":%llu,\"rxq_ovfl_drops\":%s%u,\"proc_udp_drops\":%lld,"
           "\"rcvbuf_bytes\":%d,\"rcvbuf_set_by\":\"%s\",\"first_to_last_s\":%.3f,\"stopped_by\":\"%s\"}\n",
           port, datagrams, bytes, hep3, sip, rtcp, rtp_report, rtp_final, other_proto, no_proto, bad_len, non_hep3,
           ovfl_ok ? "" : "-", ovfl_ok ? ovfl : 1u, pdrops, got, rcvbuf_how,
           datagrams ? last - first : 0.0,
           stop_flag ? "signal" : (datagrams ? "idle" : "start-timeout"));
    fflush(stdout);
    close(fd);
    return 0;
}
