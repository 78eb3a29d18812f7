package dev.emlab.torch.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.model.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns chat messages into the prompt text a chat model was trained on. emlab writes the two
 * families it supports itself instead of running Jinja templates: ChatML (Qwen) and Llama 3.
 */
public sealed interface ChatTemplate permits ChatTemplate.ChatMl, ChatTemplate.Llama3, ChatTemplate.Raw {
    /** A piece of a rendered chat; trainable pieces are the assistant's words and end-of-turn token. */
    record Segment(String text, boolean trainable) {}

    /** The whole conversation as pieces, for training with the loss on assistant tokens only. */
    List<Segment> segments(List<ChatMessage> messages);

    /** The text that opens the assistant's turn. */
    String assistantHeader();

    /** Special tokens that end an assistant turn. */
    List<String> stopTokens();

    /** The prompt for these messages, ending where the assistant's answer starts. */
    default String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        segments(messages).forEach(seg -> sb.append(seg.text()));
        return sb.append(assistantHeader()).toString();
    }

    /** ChatML; {@code defaultSystem} is added when the messages have no system prompt (Qwen does this). */
    record ChatMl(String defaultSystem) implements ChatTemplate {
        @Override
        public List<Segment> segments(List<ChatMessage> messages) {
            List<Segment> out = new ArrayList<>();
            if (defaultSystem != null && (messages.isEmpty() || !messages.get(0).role().equals("system"))) {
                out.add(new Segment("<|im_start|>system\n" + defaultSystem + "<|im_end|>\n", false));
            }
            for (ChatMessage m : messages) {
                boolean assistant = m.role().equals("assistant");
                out.add(new Segment("<|im_start|>" + m.role() + "\n", false));
                out.add(new Segment(m.content() + "<|im_end|>", assistant));
                out.add(new Segment("\n", false));
            }
            return out;
        }

        @Override
        public String assistantHeader() {
            return "<|im_start|>assistant\n";
        }

        @Override
        public List<String> stopTokens() {
            return List.of("<|im_end|>", "<|endoftext|>");
        }
    }

    /** Llama 3 instruct. */
    record Llama3() implements ChatTemplate {
        @Override
        public List<Segment> segments(List<ChatMessage> messages) {
            List<Segment> out = new ArrayList<>();
            out.add(new Segment("<|begin_of_text|>", false));
            for (ChatMessage m : messages) {
                out.add(new Segment("<|start_header_id|>" + m.role() + "<|end_header_id|>\n\n", false));
                out.add(new Segment(m.content().strip() + "<|eot_id|>", m.role().equals("assistant")));
            }
            return out;
        }

        @Override
        public String assistantHeader() {
            return "<|start_header_id|>assistant<|end_header_id|>\n\n";
        }

        @Override
        public List<String> stopTokens() {
            return List.of("<|eot_id|>", "<|end_of_text|>");
        }
    }

    /** No template: the messages' texts are the prompt as they are (base models, {@code --raw}). */
    record Raw() implements ChatTemplate {
        @Override
        public List<Segment> segments(List<ChatMessage> messages) {
            List<Segment> out = new ArrayList<>();
            for (ChatMessage m : messages) {
                out.add(new Segment(m.content(), m.role().equals("assistant")));
            }
            return out;
        }

        @Override
        public String assistantHeader() {
            return "";
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
