package dev.emlab.report.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.emlab.EmlabException;
import dev.emlab.InputException;
import dev.emlab.report.html.Page;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code emlab serve}: a read-only local web app over a runs folder, on the JDK's HTTP server.
 * GET and HEAD only (anything else is 405); every path a request names goes through
 * {@link RunsRoot}, so nothing outside the folder is ever read (404 instead). Every response
 * carries a Content-Security-Policy that lets the page fetch nothing.
 */
public final class RunsServer implements AutoCloseable {
    /** Threads that answer requests: enough that a few slow or stuck clients leave the rest served. */
    static final int THREADS = 32;
    /** Seconds a client may take to send its request before the server drops it. */
    static final int REQUEST_SECONDS = 5;
    /** Seconds from a request to the end of its answer: a large report takes a while to draw, a client that never reads it must not hold a thread. */
    static final int RESPONSE_SECONDS = 300;

    static {
        // The JDK server waits forever for a request's headers unless told otherwise, and reads these
        // once, when it first starts; a user's own -D setting wins.
        setIfAbsent("sun.net.httpserver.maxReqTime", String.valueOf(REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", String.valueOf(RESPONSE_SECONDS));
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final Pages pages;

    private RunsServer(HttpServer server, ExecutorService pool, Pages pages) {
        this.server = server;
        this.pool = pool;
        this.pages = pages;
    }

    /** Starts serving {@code runsDir} on {@code host:port} (port 0 picks a free one). */
    public static RunsServer start(Path runsDir, String host, int port) {
        RunsRoot root = new RunsRoot(runsDir);
        HttpServer server;
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new InputException("Cannot listen on " + host + ": no such host name or address. Use --host 127.0.0.1"
                    + " (this machine only) or an address of this machine.");
        }
        try {
            server = HttpServer.create(address, 0);
        } catch (BindException e) {
            // the port is taken, or the address is not one of this machine's: each has its own fix
            boolean portTaken = String.valueOf(e.getMessage()).contains("in use");
            throw new InputException("Cannot listen on " + host + ":" + port + " (" + e.getMessage() + "). "
                    + (portTaken ? "Pick another port with --port." : host + " is not an address of this machine:"
                    + " use --host 127.0.0.1 (this machine only) or one of its own addresses."), e);
        } catch (IOException e) {
            throw new EmlabException("Cannot start the server on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "emlab-serve");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        RunsServer s = new RunsServer(server, pool, new Pages(root));
        server.createContext("/", s::handle);
        server.setExecutor(pool);
        server.start();
        return s;
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "read-only: only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!localHost(ex.getRequestHeaders().getFirst("Host"))) {
                // a page elsewhere that rebinds its own name to 127.0.0.1 must not read the runs
                send(ex, 403, "text/plain; charset=utf-8", "forbidden host\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Response r;
            try {
                r = route(ex.getRequestURI().getRawPath(), query(ex.getRequestURI().getRawQuery()));
            } catch (IllegalArgumentException e) {
                // a malformed %-escape in the path or query
                r = new Response(400, "text/plain; charset=utf-8", "bad request\n".getBytes(StandardCharsets.UTF_8));
            } catch (EmlabException e) {
                // A parser's message may quote the file's content, so the page only points at the
                // command that shows the cause; the person running the server sees it in full.
                System.err.println("emlab serve: " + ex.getRequestURI().getRawPath() + ": " + e.getMessage());
                r = Response.html(500, Page.document("error", "<h1>Cannot show this run</h1><p>A file of this run cannot be read."
                        + " Run <code>emlab report</code> on the run folder to see which and why.</p>"));
            } catch (RuntimeException e) {
                // a bug must still answer, or the browser waits on a dropped connection
                System.err.println("emlab serve: internal error on " + ex.getRequestURI().getRawPath() + ": " + e);
                r = new Response(500, "text/plain; charset=utf-8", "internal error\n".getBytes(StandardCharsets.UTF_8));
            }
            send(ex, r.status(), r.type(), r.body());
        }
    }

    /**
     * The Host header must name this server as the browser reached it: a loopback name or address,
     * or the host it was started on. That stops DNS rebinding; a missing header (HTTP/1.0) passes,
     * and so does any name when the user chose to listen beyond loopback.
     */
    private boolean localHost(String header) {
        if (header == null || !server.getAddress().getAddress().isLoopbackAddress()) {
            return true;
        }
        String host = header.startsWith("[") ? header.substring(0, header.indexOf(']') + 1)
                : header.contains(":") ? header.substring(0, header.lastIndexOf(':')) : header;
        return host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
                || host.equalsIgnoreCase(server.getAddress().getHostString())
                || host.equals(server.getAddress().getAddress().getHostAddress());
    }

    private Response route(String rawPath, Map<String, String> q) throws IOException {
        if (rawPath.equals("/")) {
            return pages.index();
        }
        if (rawPath.equals("/report")) {
            return pages.report(q.get("run"));
        }
        if (rawPath.equals("/samples")) {
            return pages.samples(q.get("run"), q);
        }
        if (rawPath.equals("/sample")) {
            return pages.sample(q.get("run"), q.get("i"));
        }
        if (rawPath.equals("/compare")) {
            return pages.compare(q.get("a"), q.get("b"));
        }
        if (rawPath.startsWith("/figures/")) {
            return pages.figure(URLDecoder.decode(rawPath.substring("/figures/".length()).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        if (rawPath.startsWith("/files/")) {
            // decoded once here; "%2e%2e" becomes ".." and is refused by RunsRoot like a literal one
            return pages.file(URLDecoder.decode(rawPath.substring("/files/".length()).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return Response.NOT_FOUND;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Content-Security-Policy", Page.policy());
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** What a page handler answers. */
    record Response(int status, String type, byte[] body) {
        static final Response NOT_FOUND = new Response(404, "text/plain; charset=utf-8",
                "not found\n".getBytes(StandardCharsets.UTF_8));

        static Response html(int status, String page) {
            return new Response(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
        }

        static Response of(Optional<Response> r) {
            return r.orElse(NOT_FOUND);
        }
    }

    /** Content types for raw files: only PNG is shown as what it is; everything else is plain text, so no file runs. */
    static String typeOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".png") ? "image/png" : "text/plain; charset=utf-8";
    }

    static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }
}
