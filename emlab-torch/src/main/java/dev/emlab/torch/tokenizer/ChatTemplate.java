package dev.emlab.torch.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.model.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns chat messages into the prompt text a chat model was trained on. emlab writes the two
 * families it supports itself instead of running Jinja templates: ChatML (Qwen) and Llama 3.
 */
public sealed interface ChatTemplate permits ChatTemplate.ChatMl, ChatTemplate.Llama3, ChatTemplate.Raw {
    /** The prompt for these messages, ending where the assistant's answer starts. */
    String render(List<ChatMessage> messages);

    /** Special tokens that end an assistant turn. */
    List<String> stopTokens();

    /** ChatML; {@code defaultSystem} is added when the messages have no system prompt (Qwen does this). */
    record ChatMl(String defaultSystem) implements ChatTemplate {
        @Override
        public String render(List<ChatMessage> messages) {
            StringBuilder sb = new StringBuilder();
            if (defaultSystem != null && (messages.isEmpty() || !messages.get(0).role().equals("system"))) {
                sb.append("<|im_start|>system\n").append(defaultSystem).append("<|im_end|>\n");
            }
            for (ChatMessage m : messages) {
                sb.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append("<|im_end|>\n");
            }
            return sb.append("<|im_start|>assistant\n").toString();
        }

        @Override
        public List<String> stopTokens() {
            return List.of("<|im_end|>", "<|endoftext|>");
        }
    }

    /** Llama 3 instruct. */
    record Llama3() implements ChatTemplate {
        @Override
        public String render(List<ChatMessage> messages) {
            StringBuilder sb = new StringBuilder("<|begin_of_text|>");
            for (ChatMessage m : messages) {
                sb.append("<|start_header_id|>").append(m.role()).append("<|end_header_id|>\n\n")
                        .append(m.content().strip()).append("<|eot_id|>");
            }
            return sb.append("<|start_header_id|>assistant<|end_header_id|>\n\n").toString();
        }

        @Override
        public List<String> stopTokens() {
            return List.of("<|eot_id|>", "<|end_of_text|>");
        }
    }

    /** No template: the user messages are the prompt as they are (base models, {@code --raw}). */
    record Raw() implements ChatTemplate {
        @Override
        public String render(List<ChatMessage> messages) {
            StringBuilder sb = new StringBuilder();
            for (ChatMessage m : messages) {
                sb.append(m.content());
            }
            return sb.toString();
        }

        @Override
        public List<String> stopTokens() {
            return List.of("<|endoftext|>", "<|end_of_text|>");
        }
    }

    /**
     * The template a checkpoint uses, read from its tokenizer_config.json: ChatML when its
     * chat_template speaks {@code <|im_start|>} (with the default system prompt it writes, if
     * any), Llama 3 when it speaks {@code <|start_header_id|>}.
     */
    static ChatTemplate detect(Path checkpointDir) {
        Path file = checkpointDir.resolve("tokenizer_config.json");
        String template = "";
        if (Files.exists(file)) {
            try {
                JsonNode t = Json.MAPPER.readTree(Files.readString(file)).path("chat_template");
                template = t.isTextual() ? t.asText() : t.toString();
            } catch (IOException e) {
                throw new InputException(file + " is not valid JSON: " + e.getMessage());
            }
        }
        if (template.contains("<|im_start|>")) {
            return new ChatMl(defaultSystem(template));
        }
        if (template.contains("<|start_header_id|>")) {
            return new Llama3();
        }
        throw new InputException(checkpointDir + ": no ChatML or Llama 3 chat_template in tokenizer_config.json;"
                + " use --raw for a base model.");
    }

    /** Qwen's templates write a default system prompt as a literal in the Jinja text. */
    private static String defaultSystem(String template) {
        Matcher m = Pattern.compile("<\\|im_start\\|>system\\\\n([^<'\"{}]+)<\\|im_end\\|>").matcher(template);
        return m.find() ? m.group(1) : null;
    }

}
