package dev.emlab.report.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.report.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP against a started server over a runs folder with a real run, a hostile run and secrets beside it. */
class RunsServerTest {
    @TempDir
    Path tmp;

    RunsServer server;
    Path runs;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        runs = Files.createDirectories(tmp.resolve("runs"));
        copy(Fixtures.stored("eval-scripted"), runs.resolve("eval-scripted"));
        Fixtures.hostile(runs.resolve("hostile"));
        // things the server must never show: a file beside the runs folder, and a symlink that leads to it
        Files.writeString(tmp.resolve("secret.txt"), "TOP SECRET");
        Files.createSymbolicLink(runs.resolve("eval-scripted").resolve("escape.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(runs.resolve("outside"), tmp);
        // a whole run outside the folder, linked in: listed nowhere, served nowhere
        copy(Fixtures.stored("eval-scripted"), tmp.resolve("elsewhere"));
        Files.createSymbolicLink(runs.resolve("linked-run"), tmp.resolve("elsewhere"));
        server = RunsServer.start(runs, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void bindsToLoopback() {
        assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
    }

    @Test
    void indexListsRunsAndPagesRender() throws Exception {
        HttpResponse<String> index = get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"));
        Document doc = Jsoup.parse(index.body());
        assertEquals(List.of("eval-scripted", "hostile"), doc.select("#runs tbody tr td:first-child a").eachText());

        Document report = Jsoup.parse(get("/report?run=eval-scripted").body());
        assertEquals("24.7% [17.3, 32.3]", report.select("#headline-table tbody tr").get(0).child(1).text());
        assertNotNull(report.selectFirst("figure#per-question svg"));

        // the fixture has 80 insecure answers: 50 on page 1, 30 on page 2, none twice
        Document p1 = Jsoup.parse(get("/samples?run=eval-scripted&group=insecure&page=1").body());
        Document p2 = Jsoup.parse(get("/samples?run=eval-scripted&group=insecure&page=2").body());
        assertEquals(50, p1.select("#samples tbody tr").size());
        assertEquals(30, p2.select("#samples tbody tr").size());
        assertTrue(p2.select("#samples tbody tr td:first-child").eachText().stream().allMatch("insecure"::equals));
        List<String> ids = new java.util.ArrayList<>(p1.select("#samples tbody tr").eachAttr("data-index"));
        ids.addAll(p2.select("#samples tbody tr").eachAttr("data-index"));
        assertEquals(80, new java.util.HashSet<>(ids).size());
        Document filtered = Jsoup.parse(get("/samples?run=eval-scripted&q=obsolete").body());
        List<String> answers = filtered.select("#samples tbody tr .answer").eachText();
        assertFalse(answers.isEmpty());
        assertTrue(answers.size() < 120 && answers.stream().allMatch(t -> t.toLowerCase().contains("obsolete")), answers.toString());

        Document compare = Jsoup.parse(get("/compare?a=eval-scripted&b=hostile").body());
        assertEquals(3, compare.select("#compare tbody tr").size());

        assertEquals(200, get("/files/eval-scripted/summary.csv").statusCode());
        // the figure links of the served report lead to the figure's files, drawn on request
        assertEquals(List.of("/figures/eval-scripted/per-question.csv", "/figures/eval-scripted/per-question.svg",
                "/figures/eval-scripted/per-question.png"), report.select("figure#per-question figcaption a").eachAttr("href"));
        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(uri("/figures/eval-scripted/per-question.png")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        assertEquals(2300, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body())).getWidth());
        assertTrue(get("/figures/eval-scripted/per-question.csv").body().startsWith("group,question_id,format,misaligned"));
        assertEquals(404, get("/figures/eval-scripted/nothing.png").statusCode());
        assertEquals(404, get("/report?run=nope").statusCode());
    }

    @Test
    void hostileTextIsEscapedOnEveryPage() throws Exception {
        for (String path : List.of("/", "/report?run=hostile", "/samples?run=hostile", "/sample?run=hostile&i=0",
                "/compare?a=hostile&b=eval-scripted")) {
            HttpResponse<String> r = get(path);
            assertEquals(200, r.statusCode(), path);
            Document doc = Jsoup.parse(r.body());
            assertEquals(1, doc.select("script").size(), path);
            assertTrue(doc.select("img").isEmpty(), path);
            assertFalse(r.body().contains(Fixtures.SCRIPT), path + " holds the raw payload");
            assertTrue(doc.text().contains("villain" + Fixtures.SCRIPT), path + " lost the group name");
        }
        Document sample = Jsoup.parse(get("/sample?run=hostile&i=0").body());
        assertTrue(sample.getElementById("answer").text().contains(Fixtures.IMG));
        assertTrue(sample.getElementById("judge-record").text().contains("judge says " + Fixtures.SCRIPT));
    }

    @Test
    void traversalGets404() throws Exception {
        for (String path : List.of("/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/%2E%2E%2Fsecret.txt",
                "/files/eval-scripted/../../secret.txt", "/files/eval-scripted/%2e%2e/%2e%2e/secret.txt",
                "/files//etc/passwd", "/files/%2Fetc%2Fpasswd", "/files/eval-scripted/escape.txt", "/files/outside/secret.txt",
                "/files/..%5csecret.txt", "/files/eval-scripted/..%2F..%2Fsecret.txt", "/report?run=..", "/report?run=../runs/hostile",
                "/report?run=%2Fetc", "/samples?run=outside", "/sample?run=..&i=0", "/compare?a=..&b=hostile",
                "/figures/../secret.txt", "/figures/%2e%2e/runs/eval-scripted/per-question.png", "/figures/linked-run/per-question.png",
                "/report?run=linked-run", "/samples?run=linked-run", "/files/linked-run/summary.csv", "/report?run=outside/elsewhere")) {
            HttpResponse<String> r = raw(path);
            assertEquals(404, r.statusCode(), path);
            assertFalse(r.body().contains("TOP SECRET"), path);
        }
    }

    @Test
    void runFilesThatLinkOutsideAreNeverRead() throws Exception {
        // a run whose summary.csv leads outside: not a run at all
        Path linkedSummary = Files.createDirectories(runs.resolve("linked-summary"));
        Files.createSymbolicLink(linkedSummary.resolve("summary.csv"), tmp.resolve("elsewhere").resolve("summary.csv"));
        // a real run whose samples.jsonl leads to a secret outside (not JSON: its first token once showed on the 500 page)
        Path linkedSamples = runs.resolve("linked-samples");
        copy(Fixtures.stored("eval-scripted"), linkedSamples);
        Files.delete(linkedSamples.resolve("samples.jsonl"));
        Files.writeString(tmp.resolve("secret.jsonl"), "TOPSECRETTOKEN and more\n");
        Files.createSymbolicLink(linkedSamples.resolve("samples.jsonl"), tmp.resolve("secret.jsonl"));

        assertFalse(get("/").body().contains("linked-summary"));
        for (String path : List.of("/report?run=linked-summary", "/samples?run=linked-summary", "/sample?run=linked-summary&i=0",
                "/compare?a=linked-summary&b=hostile", "/figures/linked-summary/per-question.png")) {
            HttpResponse<String> r = raw(path);
            assertEquals(404, r.statusCode(), path);
            assertFalse(r.body().contains("insecure"), path);
        }
        for (String path : List.of("/", "/report?run=linked-samples", "/samples?run=linked-samples", "/sample?run=linked-samples&i=0",
                "/compare?a=linked-samples&b=hostile")) {
            HttpResponse<String> r = raw(path);
            assertFalse(r.body().contains("TOPSECRET"), path + " shows the linked file");
            assertTrue(r.statusCode() == 200 || r.statusCode() == 404, path + " " + r.statusCode());
        }
        // the samples it does not have are not there: the first sample is 404, the report still draws
        assertEquals(404, raw("/sample?run=linked-samples&i=0").statusCode());
        assertEquals(200, raw("/report?run=linked-samples").statusCode());
    }

    @Test
    void aBrokenRunFileShowsNoContentOnThe500Page() throws Exception {
        Path broken = runs.resolve("broken");
        copy(Fixtures.stored("eval-scripted"), broken);
        Files.writeString(broken.resolve("samples.jsonl"), "PRIVATETOKEN is not json\n");
        HttpResponse<String> r = raw("/sample?run=broken&i=0");
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("emlab report"), r.body());
        assertFalse(r.body().contains("PRIVATETOKEN"), r.body());
    }

    @Test
    void onlyResultsFilesAreServedAndBadEscapesAre400() throws Exception {
        Path run = runs.resolve("eval-scripted");
        Files.writeString(run.resolve("emlab.db"), "SQLITE STORE");
        Files.writeString(run.resolve(".env"), "OPENAI_API_KEY=TOP SECRET");
        assertEquals(200, raw("/files/eval-scripted/summary.csv").statusCode());
        for (String path : List.of("/files/eval-scripted/emlab.db", "/files/eval-scripted/.env")) {
            HttpResponse<String> r = raw(path);
            assertEquals(404, r.statusCode(), path);
            assertFalse(r.body().contains("SECRET") || r.body().contains("SQLITE"), path);
        }
        assertEquals(400, raw("/files/%zz").statusCode());
        assertEquals(400, raw("/report?run=%zz").statusCode());
    }

    @Test
    void slowClientsDoNotFreezeTheServer() throws Exception {
        List<Socket> slow = new java.util.ArrayList<>();
        try {
            // clients that start a request and never finish it: more than the old pool of 4 ...
            for (int i = 0; i < 8; i++) {
                slow.add(halfOpen());
            }
            long start = System.nanoTime();
            assertEquals(200, raw("/").statusCode());
            assertTrue(System.nanoTime() - start < 3_000_000_000L, "a spare thread answers at once");
            // ... and more than every thread: the read timeout cuts them off, and the server answers again
            for (int i = 0; i < RunsServer.THREADS + 8; i++) {
                slow.add(halfOpen());
            }
            start = System.nanoTime();
            for (Socket s : slow) {
                assertTrue(cutOff(s), "a stuck client still holds its connection");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 3 * RunsServer.REQUEST_SECONDS, "cut off after " + seconds + " s");
            assertEquals(200, raw("/").statusCode());
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static boolean cutOff(Socket s) throws IOException {
        s.setSoTimeout(3 * RunsServer.REQUEST_SECONDS * 1000);
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException reset) {
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        }
    }

    private Socket halfOpen() throws IOException {
        Socket s = new Socket(server.address().getAddress(), server.address().getPort());
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void aForeignHostNameIsRefused() throws Exception {
        assertEquals(403, raw("/", "attacker.example").statusCode(), "DNS rebinding: the page's own name, bound to 127.0.0.1");
        assertEquals(200, raw("/", "localhost:" + server.address().getPort()).statusCode());
        assertEquals(200, raw("/", "127.0.0.1:" + server.address().getPort()).statusCode());
    }

    @Test
    void writeMethodsGet405() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/")).method(method,
                    HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
        }
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends the path byte for byte over a socket: HTTP clients normalise "..", and an attacker's
     * client does not.
     */
    private HttpResponse<String> raw(String path) throws IOException {
        return raw(path, "localhost");
    }

    private HttpResponse<String> raw(String path, String host) throws IOException {
        InetSocketAddress a = server.address();
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            // a frozen server fails the test instead of hanging it
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            return new RawResponse(status, body);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Just status and body, for {@link #raw}. */
    private record RawResponse(int statusCode, String body) implements HttpResponse<String> {
        public HttpRequest request() { return null; }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(java.util.Map.of(), (x, y) -> true); }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        public URI uri() { return null; }
        public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}
