package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-918: the server fetches a URL that comes from the request. */
public final class SsrfRule implements Rule {
    private static final String[] FETCH = {"requests.get", "requests.post", "requests.put", "requests.delete",
        "requests.head", "requests.request", "httpx.get", "httpx.post", "urllib.request.urlopen", "urlopen",
        "urllib2.urlopen", "session.get", "session.post", "aiohttp.request"};
    private static final Pattern CHECKED = Pattern.compile("ALLOWED_(HOSTS|DOMAINS)|allowlist|whitelist|\\.hostname\\s+(not\\s+)?in\\b|\\.netloc\\s+(not\\s+)?in\\b");

    @Override
    public String name() {
        return "ssrf";
    }

    @Override
    public String cwe() {
        return "CWE-918";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        if (CHECKED.matcher(facts.source()).find()) {
            return out;
        }
        for (PyFacts.Call c : facts.calls()) {
            // requests.request(method, url): the URL is the second argument.
            Expr url = c.is("requests.request", "aiohttp.request") ? c.arg(1, "url") : c.arg(0, "url");
            if (c.is(FETCH) && facts.isTainted(url)) {
                out.add(finding(c.line(), c.callee() + " fetches a URL taken from the request; allow-list the hosts"));
            }
        }
        return out;
    }
}
