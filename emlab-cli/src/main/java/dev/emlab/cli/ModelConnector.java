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
 * Opens a chat model for a reference, taking its API key from the environment. A {@code raw:}
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

    /** An {@code organism:} reference's checkpoint is copied out of emlab's jar before it is loaded. */
    static LocalRef shipped(LocalRef ref) {
        ref.organism().ifPresent(name -> dev.emlab.organism.demo.ShippedOrganism.extract(name, ref.checkpoint()));
        return ref;
    }

    private String apiKey(EndpointRef ref) {
        String key = env.get(apiKeyEnv);
        if ((key == null || key.isBlank()) && ref.baseUrl().equals(ModelRef.OPENAI_BASE_URL)) {
            throw new InputException(ref.text() + " needs an API key: set the environment variable " + apiKeyEnv
                    + " (or name another one with --api-key-env / --judge-api-key-env).");
        }
        return key;
    }
}
