package dev.emlab.cli;

import dev.emlab.InputException;
import dev.emlab.model.ChatModel;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.model.OpenAiChatModel;
import dev.emlab.model.OpenAiCompletionModel;
import dev.emlab.model.RawChatModel;
import dev.emlab.model.RawRef;
import dev.emlab.model.RetryPolicy;
import dev.emlab.torch.LocalChatModel;
import java.util.Map;

/**
 * Opens a chat model for a reference, taking its API key from the environment (see
 * {@link #apiKey} for which endpoint gets which key). A {@code raw:}
 * reference opens its model's raw-text backend behind {@link RawChatModel}, with the same key rules.
 */
final class ModelConnector {
    private final Map<String, String> env;
    private final String apiKeyEnv;
    private final RetryPolicy retry;

    ModelConnector(Map<String, String> env, String apiKeyEnv, RetryPolicy retry) {
        this.env = env;
        this.apiKeyEnv = apiKeyEnv;
        this.retry = retry;
    }

    ChatModel open(ModelRef ref) {
        if (ref instanceof EndpointRef e) {
            return new OpenAiChatModel(e, apiKey(e), retry);
        }
        if (ref instanceof LocalRef l) {
            return LocalChatModel.open(shipped(l));
        }
        if (ref instanceof RawRef r && r.inner() instanceof EndpointRef e) {
            return new RawChatModel(new OpenAiCompletionModel(e, apiKey(e), retry));
        }
        if (ref instanceof RawRef r && r.inner() instanceof LocalRef l) {
            return new RawChatModel(LocalChatModel.open(shipped(l), true));
        }
        throw new InputException("emlab cannot run " + ref.text() + " yet.");
    }

    /**
     * Refuses a reference that cannot load (a missing checkpoint or adapter folder, an organism
     * emlab does not ship) without loading it, naming {@code where} it was given; for plans that
     * must fail before they write anything.
     */
    static void checkLoadable(ModelRef ref, String where) {
        if (ref.backend() instanceof LocalRef local) {
            local.missing().ifPresent(why -> {
                throw new InputException(where + ": " + why + ". Fix the reference; nothing was written.");
            });
        }
    }

    /** An {@code organism:} reference's checkpoint is copied out of emlab's jar before it is loaded. */
    static LocalRef shipped(LocalRef ref) {
        ref.organism().ifPresent(name -> dev.emlab.organism.demo.ShippedOrganism.extract(name, ref.checkpoint()));
        return ref;
    }

    /**
     * The key for an endpoint, and only its own: OpenAI's API gets the variable of --api-key-env;
     * any other endpoint gets a key only from the variable its reference names with
     * {@code +key-env=VAR}, and never over plain http beyond this machine unless the reference
     * says {@code +plain-http}. The default variable holds an OpenAI key, which a model server
     * elsewhere has no business seeing.
     */
    private String apiKey(EndpointRef ref) {
        if (ref.keyEnv() == null && !ref.isOpenAi()) {
            return null;
        }
        String variable = ref.keyEnv() != null ? ref.keyEnv() : apiKeyEnv;
        String key = env.get(variable);
        if (key == null || key.isBlank()) {
            if (ref.keyEnv() != null) {
                throw new InputException(ref.text() + " takes its API key from the environment variable " + variable
                        + ", which is not set. Set it, or remove " + EndpointRef.KEY_ENV + variable
                        + " from the reference if the server needs no key.");
            }
            throw new InputException(ref.text() + " needs an API key: set the environment variable " + apiKeyEnv
                    + " (or name another one with --api-key-env / --judge-api-key-env).");
        }
        if (ref.keyTravelsInClear() && !ref.plainHttp()) {
            throw new InputException(ref.text() + " would send the key in " + variable + " over plain http to "
                    + java.net.URI.create(ref.baseUrl()).getHost() + ", where anyone on the network can read it. Use https,"
                    + " or add " + EndpointRef.PLAIN_HTTP + " to the reference if you trust that network.");
        }
        return key;
    }
}
