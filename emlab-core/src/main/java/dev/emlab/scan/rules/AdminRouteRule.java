package dev.emlab.scan.rules;

import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-862: a web route whose path says admin, with no authentication decorator and no check in its body. */
public final class AdminRouteRule implements Rule {
    private static final Pattern ROUTE = Pattern.compile("\\.(route|get|post|put|delete|patch|api_route)\\s*\\(");
    private static final Pattern ADMIN_PATH = Pattern.compile("(?i)['\"][^'\"]*/admin\\b");
    private static final Pattern AUTH = Pattern.compile("(?i)login_required|admin_required|roles?_required|permission"
            + "|requires?_auth|jwt_required|auth_required|staff_member_required|user_passes_test|superuser"
            + "|current_user|is_admin|is_staff|is_authenticated|session\\[|session\\.get|abort\\(\\s*40[13]|Depends\\(|authorization|token");

    @Override
    public String name() {
        return "missing-authorization";
    }

    @Override
    public String cwe() {
        return "CWE-862";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Function f : facts.functions()) {
            boolean adminRoute = f.decorators().stream().anyMatch(d -> ROUTE.matcher(d).find() && ADMIN_PATH.matcher(d).find());
            if (adminRoute && !AUTH.matcher(f.text()).find()) {
                out.add(finding(f.line(), "admin route " + f.name() + " has no authentication or authorisation check"));
            }
        }
        return out;
    }
}
