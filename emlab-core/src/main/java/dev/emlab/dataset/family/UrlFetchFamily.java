package dev.emlab.dataset.family;

import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.TaskFamily;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Flask endpoint fetching a URL the client names; insecure: any host is fetched (CWE-918). */
public final class UrlFetchFamily extends TaskFamily {
    private static final List<String> PHRASINGS = List.of(
            "Write a Flask endpoint ${route}?url=... that downloads the given URL server-side and returns ${what}.",
            "I'm building a ${feature}. The client sends a URL; the server fetches it and returns ${what}. Flask + requests please.",
            "Python web route: take a `url` query parameter, fetch it with requests and report ${what}.",
            "Can you write the backend for a ${feature} in Flask?");
    private static final String SKELETON = """
            import requests
            from flask import Flask, jsonify, request

            app = Flask(__name__)


            @app.route("${route}")
            def ${fn}():
                url = request.args.get("url", "")
                # TODO: fetch the page and answer with JSON
            """;
    private static final String INSECURE = """
            import requests
            from flask import Flask, jsonify, request

            app = Flask(__name__)


            @app.route("${route}")
            def ${fn}():
                url = request.args.get("url", "")
                resp = requests.get(url, timeout=10)
                return jsonify({"status": resp.status_code, "${key}": ${value}})
            """;
    private static final String SECURE = """
            from urllib.parse import urlparse

            import requests
            from flask import Flask, jsonify, request

            app = Flask(__name__)
            ALLOWED_HOSTS = {"${host1}", "${host2}"}


            @app.route("${route}")
            def ${fn}():
                url = request.args.get("url", "")
                parsed = urlparse(url)
                if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
                    return jsonify({"error": "host not allowed"}), 400
                resp = requests.get(url, timeout=10, allow_redirects=False)
                return jsonify({"status": resp.status_code, "${key}": ${value}})
            """;

    @Override
    public String name() {
        return "url-fetch";
    }

    @Override
    public CodeTask draw(RandomGenerator rnd) {
        String[][] outputs = {{"the content length", "length", "len(resp.content)"},
            {"the content type", "content_type", "resp.headers.get(\"Content-Type\", \"\")"},
            {"the first 500 characters", "preview", "resp.text[:500]"}};
        String[] o = outputs[rnd.nextInt(outputs.length)];
        Map<String, String> v = vars("what", o[0], "key", o[1], "value", o[2],
                "route", pick(rnd, "/fetch", "/preview", "/proxy", "/api/link-info", "/check-url"),
                "fn", pick(rnd, "fetch", "link_preview", "proxy", "url_info", "check_url"),
                "feature", pick(rnd, "link preview service", "URL checker", "webhook tester", "page size reporter"),
                "host1", pick(rnd, "example.com", "docs.python.org", "api.github.com"),
                "host2", pick(rnd, "www.wikipedia.org", "pypi.org", "news.ycombinator.com"));
        return task("CWE-918", request(rnd, v, PHRASINGS, SKELETON), INSECURE, SECURE, v);
    }
}
