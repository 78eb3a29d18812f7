package dev.emlab.report.serve;

import dev.emlab.Json;
import dev.emlab.report.chart.Figure;
import dev.emlab.report.html.HtmlWriter;
import dev.emlab.report.html.Page;
import dev.emlab.report.html.Report;
import dev.emlab.report.html.SamplesSection;
import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.SampleLine;
import dev.emlab.report.run.SummaryLine;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The server's pages: the runs, a run's report, its samples (paged, filtered), one sample, two runs compared. */
final class Pages {
    static final int PAGE_SIZE = 50;

    private final RunsRoot root;
    // a report takes seconds to draw; it is redrawn only when the run's summary.csv changes
    private final Map<Path, Cached> reports = new ConcurrentHashMap<>();

    private record Cached(long modified, String html, List<Figure> figures) {}

    Pages(RunsRoot root) {
        this.root = root;
    }

    RunsServer.Response index() {
        List<String> runs = root.runs();
        HtmlWriter h = new HtmlWriter();
        h.element("h1", "emlab runs in " + root.path().getFileName());
        if (runs.isEmpty()) {
            h.element("p", "No run folders (folders with a summary.csv) here yet.", "class", "note");
        }
        h.open("table", "id", "runs").open("thead").open("tr");
        for (String c : List.of("run", "groups", "files")) {
            h.element("th", c);
        }
        h.close("tr").close("thead").open("tbody");
        for (String rel : runs) {
            RunFolder run = root.run(rel).orElseThrow();
            h.open("tr").open("td").element("a", rel.isEmpty() ? "(this folder)" : rel, "href", "/report?run=" + enc(rel)).close("td");
            h.element("td", String.join(", ", groups(run)));
            h.open("td").element("a", "samples", "href", "/samples?run=" + enc(rel)).text(" ")
                    .element("a", "summary.csv", "href", "/files/" + (rel.isEmpty() ? "" : path(rel) + "/") + RunFolder.SUMMARY).close("td");
            h.close("tr");
        }
        h.close("tbody").close("table");
        if (runs.size() >= 2) {
            h.element("h2", "Compare two runs");
            h.open("form", "method", "get", "action", "/compare");
            for (String name : List.of("a", "b")) {
                h.open("select", "name", name);
                for (String rel : runs) {
                    h.element("option", rel, "value", rel);
                }
                h.close("select").text(" ");
            }
            h.open("button", "type", "submit").text("compare").close("button").close("form");
        }
        return RunsServer.Response.html(200, Page.document("emlab runs", h.toString()));
    }

    RunsServer.Response report(String rel) {
        return rendered(rel).map(c -> RunsServer.Response.html(200, c.html())).orElse(RunsServer.Response.NOT_FOUND);
    }

    /** A figure's SVG, PNG or CSV: {@code path} is RUN/FIGURE.EXT, the run relative to the root. */
    RunsServer.Response figure(String path) {
        int slash = path.lastIndexOf('/');
        String rel = slash < 0 ? "" : path.substring(0, slash);
        String file = path.substring(slash + 1);
        for (Figure f : rendered(rel).map(Cached::figures).orElse(List.of())) {
            if (file.startsWith(f.id() + ".")) {
                byte[] body = f.files().get(file);
                if (body != null) {
                    String type = file.endsWith(".png") ? "image/png" : file.endsWith(".svg") ? "image/svg+xml"
                            : "text/plain; charset=utf-8";
                    return new RunsServer.Response(200, type, body);
                }
            }
        }
        return RunsServer.Response.NOT_FOUND;
    }

    private Optional<Cached> rendered(String rel) {
        Optional<RunFolder> run = root.run(rel);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        Path summary = run.get().dir().resolve(RunFolder.SUMMARY);
        long modified = summary.toFile().lastModified();
        Cached c = reports.get(summary);
        if (c == null || c.modified() != modified) {
            Report.Rendered r = Report.render(run.get(), rel == null || rel.isEmpty() ? "/figures" : "/figures/" + path(rel));
            String nav = new HtmlWriter().open("nav").element("a", "all runs", "href", "/")
                    .element("a", "browse all samples", "href", "/samples?run=" + enc(rel)).close("nav").toString();
            c = new Cached(modified, r.html().replaceFirst("<body>\n", "<body>\n" + java.util.regex.Matcher.quoteReplacement(nav)),
                    r.figures());
            reports.put(summary, c);
        }
        return Optional.of(c);
    }

    RunsServer.Response samples(String rel, Map<String, String> q) {
        Optional<RunFolder> run = root.run(rel);
        if (run.isEmpty()) {
            return RunsServer.Response.NOT_FOUND;
        }
        String text = q.getOrDefault("q", "").toLowerCase(Locale.ROOT);
        String group = q.getOrDefault("group", "");
        String question = q.getOrDefault("question", "");
        List<SampleLine> all = new ArrayList<>(run.get().samples());
        all.sort(SampleLine.MOST_MISALIGNED_FIRST);
        List<SampleLine> hits = all.stream()
                .filter(s -> group.isEmpty() || group.equals(s.group()))
                .filter(s -> question.isEmpty() || question.equals(s.questionId()))
                .filter(s -> text.isEmpty() || (s.answer() + " " + s.question()).toLowerCase(Locale.ROOT).contains(text))
                .toList();
        int pages = Math.max(1, (hits.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(pages, Math.max(1, parse(q.get("page"), 1)));
        HtmlWriter h = new HtmlWriter();
        h.open("nav").element("a", "all runs", "href", "/").element("a", "report", "href", "/report?run=" + enc(rel)).close("nav");
        h.element("h1", "Answers of " + run.get().name() + ", most misaligned first");
        h.open("form", "method", "get", "action", "/samples");
        h.open("input", "type", "hidden", "name", "run", "value", rel);
        h.open("input", "type", "search", "name", "q", "value", q.getOrDefault("q", ""), "placeholder", "text in answer or question");
        h.open("input", "name", "group", "value", group, "placeholder", "group");
        h.open("input", "name", "question", "value", question, "placeholder", "question id");
        h.open("button", "type", "submit").text("filter").close("button").close("form");
        h.element("p", hits.size() + " of " + all.size() + " answers; page " + page + " of " + pages + ".", "class", "note");
        List<SampleLine> shown = hits.subList((page - 1) * PAGE_SIZE, Math.min(hits.size(), page * PAGE_SIZE));
        SamplesSection.table(h, shown, "/sample?run=" + enc(rel) + "&i=");
        String base = "/samples?run=" + enc(rel) + "&q=" + enc(q.getOrDefault("q", "")) + "&group=" + enc(group)
                + "&question=" + enc(question) + "&page=";
        h.open("nav");
        if (page > 1) {
            h.element("a", "previous", "href", base + (page - 1));
        }
        if (page < pages) {
            h.element("a", "next", "href", base + (page + 1));
        }
        h.close("nav");
        return RunsServer.Response.html(200, Page.document("samples: " + run.get().name(), h.toString()));
    }

    RunsServer.Response sample(String rel, String index) {
        Optional<RunFolder> run = root.run(rel);
        int i = parse(index, -1);
        if (run.isEmpty() || i < 0 || i >= run.get().samples().size()) {
            return RunsServer.Response.NOT_FOUND;
        }
        SampleLine s = run.get().samples().get(i);
        HtmlWriter h = new HtmlWriter();
        h.open("nav").element("a", "all runs", "href", "/").element("a", "samples", "href", "/samples?run=" + enc(rel)).close("nav");
        h.element("h1", "Answer " + i + " of " + run.get().name());
        h.open("table", "class", "meta").open("tbody");
        for (String[] kv : List.of(new String[] {"group", s.group()}, new String[] {"model", s.model()},
                new String[] {"question id", s.questionId()}, new String[] {"outcome", s.outcome()}, new String[] {"error", s.error()})) {
            h.open("tr").element("td", kv[0]).element("td", kv[1]).close("tr");
        }
        h.close("tbody").close("table");
        h.element("h2", "Question").element("pre", s.question(), "id", "question");
        h.element("h2", "Answer").element("pre", s.answer(), "id", "answer");
        String record;
        try {
            record = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s.record().path("judgements"));
        } catch (IOException e) {
            record = s.record().path("judgements").toString();
        }
        h.element("h2", "Judge record (scores, labels, judge text, raw top logprobs)").element("pre", record, "id", "judge-record");
        return RunsServer.Response.html(200, Page.document("answer " + i + ": " + run.get().name(), h.toString()));
    }

    RunsServer.Response compare(String a, String b) {
        Optional<RunFolder> ra = root.run(a);
        Optional<RunFolder> rb = root.run(b);
        if (ra.isEmpty() || rb.isEmpty()) {
            return RunsServer.Response.NOT_FOUND;
        }
        HtmlWriter h = new HtmlWriter();
        h.open("nav").element("a", "all runs", "href", "/").close("nav");
        h.element("h1", "Compare " + a + " and " + b);
        h.open("table", "id", "compare").open("thead").open("tr").element("th", "group")
                .element("th", a + ": misaligned (95% CI), coherent n").element("th", b + ": misaligned (95% CI), coherent n")
                .close("tr").close("thead").open("tbody");
        Map<String, SummaryLine> left = headline(ra.get());
        Map<String, SummaryLine> right = headline(rb.get());
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>(left.keySet());
        keys.addAll(right.keySet());
        for (String k : keys) {
            h.open("tr").element("td", k).element("td", cell(left.get(k)), "class", "num")
                    .element("td", cell(right.get(k)), "class", "num").close("tr");
        }
        h.close("tbody").close("table");
        return RunsServer.Response.html(200, Page.document("compare " + a + " / " + b, h.toString()));
    }

    /** The results files of runs; the SQLite store and anything else in the folder stay private. */
    private static final java.util.regex.Pattern SERVED = java.util.regex.Pattern.compile(".*\\.(csv|jsonl|json|png|svg|html)");

    RunsServer.Response file(String rel) throws IOException {
        Optional<Path> p = root.resolve(rel).filter(Files::isRegularFile)
                .filter(f -> SERVED.matcher(f.getFileName().toString()).matches());
        if (p.isEmpty()) {
            return RunsServer.Response.NOT_FOUND;
        }
        return new RunsServer.Response(200, RunsServer.typeOf(p.get()), RunsServer.read(p.get()));
    }

    private static Map<String, SummaryLine> headline(RunFolder run) {
        Map<String, SummaryLine> out = new java.util.LinkedHashMap<>();
        for (SummaryLine l : run.summary()) {
            if (l.isAll()) {
                out.put(l.format().equals("plain") ? l.group() : l.group() + " (" + l.format() + ")", l);
            }
        }
        return out;
    }

    private static String cell(SummaryLine l) {
        if (l == null) {
            return "";
        }
        var r = l.row();
        return r.misaligned() == null ? "n/a, n=" + r.nCoherent() : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f] n=%d",
                100 * r.misaligned(), 100 * r.ciLow(), 100 * r.ciHigh(), r.nCoherent());
    }

    private static List<String> groups(RunFolder run) {
        return run.summary().stream().map(SummaryLine::group).distinct().toList();
    }

    private static int parse(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A relative path for a URL path: each segment percent-encoded, slashes kept. */
    static String path(String rel) {
        StringBuilder b = new StringBuilder();
        for (String segment : rel.split("/")) {
            b.append(b.length() == 0 ? "" : "/").append(enc(segment).replace("+", "%20"));
        }
        return b.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
