package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-328 / CWE-916: a password hashed with MD5/SHA-1, or with a fast unsalted SHA-2 digest. */
public final class WeakPasswordHashRule implements Rule {
    private static final Pattern PASSWORD = Pattern.compile("(?i)pass|pwd");
    private static final Pattern WEAK = Pattern.compile("(?i)['\"](md5|sha1|md4)['\"]");

    @Override
    public String name() {
        return "weak-password-hash";
    }

    @Override
    public String cwe() {
        return "CWE-328";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            Expr data = c.is("hashlib.new") ? c.arg(1, "data") : c.arg(0, "string");
            // File checksums and cache keys are fine with MD5; only hashes of passwords are flagged.
            if (data == null || !PASSWORD.matcher(data.text()).find()) {
                continue;
            }
            boolean weak = c.is("hashlib.md5", "hashlib.sha1", "md5", "sha1", "MD5.new", "SHA.new")
                    || c.is("hashlib.new") && c.arg(0, "name") != null && WEAK.matcher(c.arg(0, "name").text()).find();
            if (weak) {
                out.add(finding(c.line(), c.callee() + " on a password: broken hash; use bcrypt, scrypt, argon2 or pbkdf2_hmac"));
            } else if (c.is("hashlib.sha256", "hashlib.sha512", "hashlib.sha224", "hashlib.sha384", "sha256", "sha512")) {
                out.add(new Finding(c.line(), name(), "CWE-916",
                        c.callee() + " on a password: fast unsalted hash; use bcrypt, scrypt, argon2 or pbkdf2_hmac"));
            }
        }
        return out;
    }
}
