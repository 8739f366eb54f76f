package org.heptap.core.control;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.heptap.core.config.Problems;
import org.heptap.core.log.LogSetup;
import org.heptap.core.message.Message;
import org.heptap.core.pipeline.SocketPipeline;
import org.heptap.core.spi.ControlCommand;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.WatchFilterProvider;
import org.heptap.core.transport.ConsoleTransport;

/**
 * The control socket: a Unix domain socket (mode 0660) where each connection sends one command
 * line and gets one JSON line back ({@code {"ok":true,...}} or {@code {"ok":false,"error":...}});
 * {@code watch} instead streams one JSON line per matching message until the client hangs up.
 * {@link CommandIntake} reads the command lines (bounded, with a deadline, no thread per idle
 * connection); a small pool of workers answers them, so one slow or silent client never blocks
 * another.
 * Commands: status, stats, reload, pause SOCKET, resume SOCKET, log-level LEVEL, plan show SOCKET,
 * watch [method=M] [user=U] [call-id=C] [ip=A].
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ControlServer.class.getName());
    /** How long a connection may take to send its command before it is closed. */
    static final long IDLE_MILLIS = 5_000;
    /** Connections waiting for their command at once; more are refused with a message. */
    static final int MAX_WAITING = 32;
    /** Commands run at once, watches included; beyond, a command is refused as busy. */
    static final int MAX_RUNNING = 8;
    /** Watches at once: they last, so they may take only half the workers and never starve status. */
    static final int MAX_WATCHES = MAX_RUNNING / 2;
    /** How long a client may leave an answer unread before its connection is dropped. */
    static final long WRITE_MILLIS = 10_000;

    private final Operations ops;
    private final Path path;
    private final CommandIntake intake;
    private final ThreadPoolExecutor workers;
    /**
     * Commands running: taken when a command is handed to a worker, given back once its answer
     * is ready to write (a watch: when its client has gone). Counted here rather than by the
     * pool's threads, because a worker that has answered is still busy for a moment after the
     * client has its answer, and a client asking again at once would otherwise hear "busy".
     */
    private final Semaphore running = new Semaphore(MAX_RUNNING);

    private final Semaphore watches = new Semaphore(MAX_WATCHES);
    private volatile boolean closed;

    private ControlServer(Operations ops, Path path, ServerSocketChannel server, long idleMillis) throws IOException {
        this.ops = ops;
        this.path = path;
        // Threads beyond MAX_RUNNING: those still writing an answer or closing after they gave
        // their command back; the cap bounds clients that never read their answers.
        this.workers = new ThreadPoolExecutor(0, 4 * MAX_RUNNING, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "control-client");
            t.setDaemon(true);
            return t;
        });
        this.intake = new CommandIntake(server, this::dispatch, idleMillis, MAX_WAITING);
    }

    /**
     * Binds the socket and starts serving; null (with the reason logged) when it cannot: the
     * agent captures on without it. A live socket of another agent at the same path is left alone.
     */
    public static ControlServer start(Operations ops, Path path) {
        return start(ops, path, IDLE_MILLIS);
    }

    /** As {@link #start(Operations, Path)}, closing connections that send no command within {@code idleMillis}. */
    static ControlServer start(Operations ops, Path path, long idleMillis) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                LOG.log(
                        Level.INFO,
                        "control socket off: " + dir + " does not exist (set control.socket or --control PATH)");
                return null;
            }
            if (Files.exists(path)) {
                if (inUse(path)) {
                    LOG.log(
                            Level.WARNING,
                            "control socket off: " + path
                                    + " is in use by another agent (set control.socket or --control PATH)");
                    return null;
                }
                Files.delete(path); // left over from a process that died
            }
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
            ControlServer s = new ControlServer(ops, path, ch, idleMillis);
            Thread t = new Thread(s.intake, "control");
            t.setDaemon(true);
            t.start();
            LOG.log(Level.INFO, "control socket " + path + " (heptapctl --control " + path + ")");
            return s;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "control socket off: cannot listen on " + path + ": " + e.getMessage());
            return null;
        }
    }

    private static boolean inUse(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /** On the intake thread: a worker runs the command, or the client hears that all are busy. */
    private void dispatch(SocketChannel c, LineBuffer rest, String command) {
        if (closed || !running.tryAcquire()) {
            refuseBusy(c);
            return;
        }
        try {
            workers.execute(() -> serve(c, rest, command));
        } catch (RejectedExecutionException e) {
            running.release();
            refuseBusy(c);
        }
    }

    private void refuseBusy(SocketChannel c) {
        CommandIntake.refuse(
                c, closed ? "the agent is stopping" : "busy: " + MAX_RUNNING + " control commands running; try again");
    }

    /**
     * Runs one command on a worker. It holds one {@link #running} permit, given back exactly once:
     * before a one-line answer is written, or when a module command or a watch has ended.
     */
    private void serve(SocketChannel c, LineBuffer rest, String command) {
        boolean holding = true;
        try (LineChannel ch = new LineChannel(c, rest)) {
            String[] w = command.trim().split("\\s+");
            ControlCommand module = moduleCommand(w[0]);
            boolean watch = w[0].equals("watch");
            if (module != null) {
                runModuleCommand(module, w, ch);
            } else if (watch && watches.tryAcquire()) {
                try {
                    watch(w, ch);
                } finally {
                    watches.release();
                }
            } else {
                String answer =
                        Answers.line(watch ? error("too many watches at once (" + MAX_WATCHES + ")") : answer(w));
                running.release();
                holding = false;
                ch.writeLine(answer, WRITE_MILLIS);
            }
        } catch (IOException e) {
            // the client hung up or stopped reading: nothing more to say
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "control socket: command failed: " + e);
        } finally {
            if (holding) running.release();
        }
    }

    /** The running configuration's module command named {@code name}, or null. */
    private ControlCommand moduleCommand(String name) {
        for (HeptapModule m : ops.agent().config().modules()) {
            for (ControlCommand c : m.controlCommands()) {
                if (c.name().equals(name)) return c;
            }
        }
        return null;
    }

    /** The names of the running configuration's module commands, for the list of commands. */
    private List<String> moduleCommandNames() {
        List<String> names = new ArrayList<>();
        for (HeptapModule m : ops.agent().config().modules()) {
            for (ControlCommand c : m.controlCommands()) names.add(c.name());
        }
        return names;
    }

    private static void runModuleCommand(ControlCommand c, String[] w, LineChannel ch) throws IOException {
        LineReply reply = new LineReply(ch, WRITE_MILLIS);
        try {
            c.run(List.of(w).subList(1, w.length), reply);
            if (!reply.answered()) reply.error(c.name() + ": no answer");
        } catch (RuntimeException e) {
            // a module's bug costs the command, with a line the operator can report, never the worker
            LOG.log(Level.WARNING, "control socket: " + c.name() + " failed", e);
            reply.error(c.name() + " failed: " + e);
        }
    }

    /** The answer to one command; public for tests. */
    public Map<String, Object> answer(String[] w) {
        String cmd = w.length > 0 ? w[0] : "";
        return switch (cmd) {
            case "status" -> AgentReports.status(ops);
            case "stats" -> AgentReports.stats(ops.agent());
            case "reload" -> reload();
            case "pause", "resume" -> pause(w, cmd.equals("pause"));
            case "log-level" -> logLevel(w);
            case "plan" -> planShow(w);
            default ->
                error("unknown command '" + cmd + "' (status, stats, reload, pause, resume, log-level, plan show, watch"
                        + moduleCommandNames().stream().map(n -> ", " + n).collect(Collectors.joining())
                        + ")");
        };
    }

    private Map<String, Object> reload() {
        Problems p = ops.reload();
        if (p.hasErrors()) {
            Map<String, Object> m = error("reload refused; the running configuration stays");
            m.put("errors", p.errors());
            m.put("warnings", p.warnings());
            return m;
        }
        Map<String, Object> m = ok();
        m.put("reloaded", ops.agent().config().file());
        m.put("warnings", p.warnings());
        return m;
    }

    private Map<String, Object> pause(String[] w, boolean pause) {
        if (w.length < 2) return error(w[0] + " needs a socket name");
        SocketPipeline p = ops.agent().pipeline(w[1]);
        if (p == null) return error("no socket '" + w[1] + "'");
        p.setPaused(pause);
        LOG.log(Level.INFO, "socket " + w[1] + ": " + (pause ? "paused" : "resumed") + " (control socket)");
        Map<String, Object> m = ok();
        m.put("socket", w[1]);
        m.put("state", pause ? "paused" : "capturing");
        return m;
    }

    private Map<String, Object> logLevel(String[] w) {
        if (w.length < 2) return error("log-level needs a level: error, warning, info or debug");
        String l = w[1].toLowerCase(java.util.Locale.ROOT);
        if (!List.of("error", "warning", "warn", "info", "debug", "trace").contains(l)) {
            return error("unknown log level '" + w[1] + "' (error, warning, info, debug)");
        }
        LogSetup.setLevel(l);
        LOG.log(Level.INFO, "log level " + l + " (control socket)");
        return ok("log-level", l);
    }

    private Map<String, Object> planShow(String[] w) {
        if (w.length < 3 || !w[1].equals("show")) return error("usage: plan show SOCKET");
        SocketPipeline p = ops.agent().pipeline(w[2]);
        if (p == null) return error("no socket '" + w[2] + "'");
        Map<String, Object> m = ok();
        m.put("socket", w[2]);
        m.put("file", p.plan().source());
        try {
            m.put("text", Files.readString(Path.of(p.plan().source())));
        } catch (IOException | RuntimeException e) {
            m.put("text", "(cannot read " + p.plan().source() + ": " + e.getMessage() + ")");
        }
        return m;
    }

    private void watch(String[] w, LineChannel out) throws IOException {
        Map<String, String> criteria = new LinkedHashMap<>();
        for (int i = 1; i < w.length; i++) {
            int eq = w[i].indexOf('=');
            if (eq <= 0) {
                write(out, error("watch filters are KEY=VALUE: " + w[i]));
                return;
            }
            criteria.put(w[i].substring(0, eq), w[i].substring(eq + 1));
        }
        String ip = criteria.remove("ip");
        List<Predicate<Message>> filters = new ArrayList<>();
        Set<String> known = new TreeSet<>(Set.of("ip"));
        for (WatchFilterProvider p : ServiceLoader.load(WatchFilterProvider.class)) {
            known.addAll(p.options());
            Map<String, String> mine = new LinkedHashMap<>();
            for (String k : p.options()) if (criteria.containsKey(k)) mine.put(k, criteria.remove(k));
            if (!mine.isEmpty()) filters.add(p.create(mine));
        }
        if (!criteria.isEmpty()) {
            write(
                    out,
                    error("no module understands watch filter(s) " + criteria.keySet() + " (known: "
                            + String.join(", ", known) + ")"));
            return;
        }
        WatchSession session = new WatchSession(ip, filters);
        List<SocketPipeline> pipelines = ops.agent().pipelines();
        pipelines.forEach(p -> p.setTap(session));
        ZoneId zone = ZoneId.systemDefault();
        try {
            write(out, ok("watching", pipelines.size() + " socket(s)"));
            long reportedDrops = 0;
            while (!closed) {
                Message m;
                try {
                    m = session.next(1000);
                } catch (InterruptedException e) {
                    return;
                }
                Map<String, Object> e = new LinkedHashMap<>();
                if (m != null) {
                    e.put("socket", m.socketName());
                    e.put(
                            "header",
                            ConsoleTransport.appendHeader(new StringBuilder(), m, zone)
                                    .toString());
                    e.put(
                            "payload",
                            new String(m.payload(), m.payloadOffset(), m.payloadLength(), StandardCharsets.UTF_8));
                }
                long d = session.dropped();
                if (d != reportedDrops) {
                    e.put("dropped", d);
                    reportedDrops = d;
                }
                // an empty line each second finds out when the client has gone
                write(out, e);
            }
        } finally {
            pipelines.forEach(p -> p.setTap(null));
        }
    }

    private static void write(LineChannel out, Map<String, Object> m) throws IOException {
        out.writeLine(Answers.line(m), WRITE_MILLIS);
    }

    private static Map<String, Object> ok() {
        return Answers.ok();
    }

    private static Map<String, Object> ok(String key, Object value) {
        return Answers.ok(key, value);
    }

    private static Map<String, Object> error(String message) {
        return Answers.error(message);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        closed = true;
        intake.close();
        workers.shutdownNow(); // a watch stops at the interrupt
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
