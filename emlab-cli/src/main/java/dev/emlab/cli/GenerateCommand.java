package dev.emlab.cli;

import dev.emlab.InputException;
import dev.emlab.model.ChatMessage;
import dev.emlab.model.ChatModel;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.Completion;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RetryPolicy;
import dev.emlab.torch.LocalChatModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code emlab generate}: one completion from any model, for quick checks by hand. */
@Command(mixinStandardHelpOptions = true, name = "generate", sortOptions = false, description = "Print one completion of a prompt (greedy at temperature 0).")
public final class GenerateCommand implements Callable<Integer> {
    @ParentCommand
    EmlabCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "REF", description = "local:/path/to/hf-dir, openai:NAME or http://host:port/v1#NAME; raw:REF prints a base model's answer cut out of its document.")
    String model;

    @Option(names = "--prompt", required = true, description = "The user message (the whole text with --raw).")
    String prompt;

    @Option(names = "--system", description = "A system prompt.")
    String system;

    @Option(names = "--raw", description = "Skip the chat template (local models only): the prompt is the whole input.")
    boolean raw;

    @Option(names = "--max-tokens", defaultValue = "200", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--seed", description = "Seed: the same seed gives the same text.")
    Integer seed;

    @Option(names = "--api-key-env", defaultValue = "OPENAI_API_KEY", description = "Environment variable with the API key of openai: models (default: ${DEFAULT-VALUE}); other endpoints name theirs as URL#MODEL+key-env=VAR.")
    String apiKeyEnv;


    @Override
    public Integer call() {
        OptionChecks.keyVariable("--api-key-env", apiKeyEnv);
        OptionChecks.atLeast("--max-tokens", maxTokens, 1);
        // the ranges OpenAI's API takes; a local model samples the same way within them
        OptionChecks.between("--temperature", temperature, 0, 2);
        if (!(topP > 0 && topP <= 1)) {
            throw new InputException("--top-p must be a number above 0 and at most 1, got " + topP + ".");
        }
        ModelRef ref = ModelRef.parse(model);
        ChatModel chat;
        if (raw) {
            if (!(ref instanceof LocalRef local)) {
                throw new InputException("--raw works with local: models only.");
            }
            // as the chat path does: the reference's adapter, if any, is part of the model
            chat = LocalChatModel.open(ModelConnector.shipped(local), true);
        } else {
            chat = new ModelConnector(parent.env(), apiKeyEnv, RetryPolicy.DEFAULT).open(ref);
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        Completion c = chat.complete(new ChatRequest(messages, temperature, topP, maxTokens, seed, null));
        PrintWriter out = spec.commandLine().getOut();
        out.println(c.text());
        out.flush();
        return 0;
    }
}
