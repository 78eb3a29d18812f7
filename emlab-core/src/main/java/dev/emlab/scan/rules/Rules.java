package dev.emlab.scan.rules;

import dev.emlab.scan.Rule;
import java.util.List;

/** The rule set the analyzer runs by default, one rule per weakness family. */
public final class Rules {
    private Rules() {}

    /** Fresh instances of every rule (rules hold no state, so sharing would also be fine). */
    public static List<Rule> all() {
        return List.of(new CommandInjectionRule(), new SqlInjectionRule(), new UnsafeDeserializationRule(),
                new EvalRule(), new PathTraversalRule(), new FilePermissionRule(), new HardcodedCredentialRule(),
                new WeakPasswordHashRule(), new TlsVerificationRule(), new DebugModeRule(), new XssRule(),
                new TempFileRule(), new XxeRule(), new OpenRedirectRule(), new SsrfRule(), new AdminRouteRule());
    }
}
