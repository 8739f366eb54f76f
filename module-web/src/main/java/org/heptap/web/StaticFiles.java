package org.heptap.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page, served from the jar (nothing is fetched from elsewhere): {@code index.html},
 * {@code app.js}, {@code app.css} under {@code org/heptap/web/static/}. Only names on the list
 * are served, so a path can never reach another resource.
 */
final class StaticFiles {
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> bodies;

    StaticFiles() {
        java.util.HashMap<String, byte[]> m = new java.util.HashMap<>();
        for (String name : FILES.keySet()) m.put(name, load(name));
        bodies = Map.copyOf(m);
    }

    private static byte[] load(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("static/" + name)) {
            if (in == null) throw new IllegalStateException("static/" + name + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file at {@code path} ({@code /} is the page), or null. */
    Reply get(String path) {
        String name = path.equals("/") ? "index.html" : path.startsWith("/static/") ? path.substring(8) : null;
        if (name == null || !FILES.containsKey(name)) return null;
        return new Reply(HttpResponseStatus.OK, FILES.get(name), bodies.get(name), Map.of());
    }
}
