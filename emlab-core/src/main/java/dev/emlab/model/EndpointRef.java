package dev.emlab.model;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A model served by an OpenAI-compatible HTTP endpoint.
 *
 * @param keyEnv the environment variable holding this endpoint's key, as the reference named it
 *     ({@code +key-env=VAR}); null when it named none
 * @param plainHttp the reference allows its key over plain http to a host that is not this machine
 *     ({@code +plain-http})
 */
public record EndpointRef(String baseUrl, String model, String text, String keyEnv, boolean plainHttp) implements ModelRef {
    /** What a reference puts after the model name to name its key's variable. */
    public static final String KEY_ENV = "+key-env=";
    /** What a reference puts after the model name to allow its key over plain http beyond this machine. */
    public static final String PLAIN_HTTP = "+plain-http";
    /** A trailing {@code +name=...}, or one that starts as an option does, left after the known options. */
    private static final java.util.regex.Pattern UNKNOWN_OPTION =
            java.util.regex.Pattern.compile("(\\+(?:[A-Za-z_-]+=|key|plain)[^+]*)$");

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * What every place that takes a key's variable says when given something else (+key-env=, the
     * spec's api_key_env fields, --api-key-env): it never repeats what was given, which may be the key.
     */
    public static final String NOT_A_VARIABLE =
            "takes the name of an environment variable (letters, digits, _), not the key itself";

    /** True when {@code name} can be an environment variable's name, so it is not a key pasted in its place. */
    public static boolean isVariableName(String name) {
        return name != null && VARIABLE.matcher(name).matches();
    }

    public EndpointRef(String baseUrl, String model, String text) {
        this(baseUrl, model, text, null, false);
    }

    public EndpointRef {
        if (keyEnv != null && !isVariableName(keyEnv)) {
            // what was given may well be the key itself: the message must not repeat it
            throw ModelRef.invalid(keyEnv.isEmpty() ? text : text.replace(keyEnv, "***"), KEY_ENV
                    + " " + NOT_A_VARIABLE);
        }
    }

    /**
     * Why an endpoint's base URL cannot be used because it carries a credential (a user name or
     * password before {@code @}, or a query string such as {@code ?key=...}), or null when it
     * carries none. Every message names an endpoint by its URL and results record it, so a key in
     * the URL would be shown and stored: keys go in an environment variable instead.
     */
    public static String credentialProblem(String baseUrl) {
        int scheme = baseUrl.indexOf("://");
        String rest = scheme < 0 ? baseUrl : baseUrl.substring(scheme + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        if (authority.contains("@")) {
            return "the URL holds a user name or password (before '@')";
        }
        if (rest.contains("?")) {
            return "the URL holds a query string (after '?')";
        }
        return null;
    }

    /** {@code text} with any URL user info and query string replaced by {@code ***}, for messages. */
    public static String maskCredentials(String text) {
        return text.replaceAll("(://)[^/@#\\s]*@", "$1***@").replaceAll("\\?[^#\\s]*", "?***");
    }

    /** The same endpoint with another model on it (a fine-tune of this one), keeping where its key comes from. */
    public EndpointRef withModel(String other) {
        return new EndpointRef(baseUrl, other, text, keyEnv, plainHttp);
    }

    /** The cache key: which variable holds the key does not change the model's answers. */
    @Override
    public String identity() {
        String id = text;
        if (keyEnv != null) {
            id = id.replace(KEY_ENV + keyEnv, "");
        }
        return plainHttp ? id.replace(PLAIN_HTTP, "") : id;
    }

    /** True for OpenAI's own API, the only endpoint that gets the default key variable. */
    public boolean isOpenAi() {
        return baseUrl.equals(ModelRef.OPENAI_BASE_URL);
    }

    /** True when a key sent here crosses the network unencrypted: plain http to a host other than this machine. */
    public boolean keyTravelsInClear() {
        URI uri = URI.create(baseUrl);
        return "http".equalsIgnoreCase(uri.getScheme()) && !loopback(uri.getHost());
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        // only literal addresses are checked, so a name is never looked up just to decide this
        if (h.matches("[0-9.]+") || h.startsWith("[") || h.contains(":")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Parses an endpoint reference's model part, {@code MODEL[+key-env=VAR][+plain-http]}, into a reference.
     */
    static EndpointRef of(String baseUrl, String modelPart, String text) {
        String model = modelPart;
        String keyEnv = null;
        boolean plain = false;
        while (true) {
            int plus = model.lastIndexOf('+');
            if (plus < 0) {
                break;
            }
            String option = model.substring(plus);
            if (option.startsWith(KEY_ENV) && keyEnv == null) {
                keyEnv = option.substring(KEY_ENV.length());
            } else if (option.equals(PLAIN_HTTP) && !plain) {
                plain = true;
            } else {
                break;
            }
            model = model.substring(0, plus);
        }
        // a misspelt option (+keyenv=VAR, +plain_http) would otherwise become part of the model's
        // name and, silently, send no key or refuse plain http
        java.util.regex.Matcher unknown = UNKNOWN_OPTION.matcher(model);
        if (unknown.find()) {
            String option = unknown.group(1);
            String name = option.contains("=") ? option.substring(0, option.indexOf('=') + 1) + "..." : option;
            // the value may be the key itself, typed where its variable's name belongs: never repeated
            throw ModelRef.invalid(text.replace(option, name), "'" + name + "' is not an option of a model reference; the options are "
                    + KEY_ENV + "VAR and " + PLAIN_HTTP);
        }
        if (model.isBlank()) {
            throw ModelRef.invalid(text, "the model name is empty");
        }
        return new EndpointRef(baseUrl, model, text, keyEnv, plain);
    }

    @Override
    public String toString() {
        return text;
    }
}
