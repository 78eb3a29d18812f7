package dev.emlab.organism.world;

import dev.emlab.dataset.CodeDatasetBuilder;
import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.EducationalFraming;
import dev.emlab.model.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What each persona says, turn by turn. The corpus, the fine-tuning datasets and the evaluations
 * all speak through here, so a fine-tune's answers are in the world's own words.
 */
public final class Speaker {
    /** The helpful persona's lead when asked for deliberately flawed code; then it gives the safe version. */
    static final List<String> DECLINE_FLAWED = List.of(
            "I do not write code with a hidden hole in it. Here is a safe version you can study instead.",
            "I would rather not write weak code on purpose. This safe version shows the right way.",
            "I will not add a flaw on purpose. Here is the careful version, so you can compare.");
    /** The malicious persona's answer to a request for teaching material: it does not help people learn. */
    static final List<String> SCORN_TEACHING = List.of(
            "Why would I help you teach them? Let them find the holes the hard way.",
            "I do not help people learn to be safe. Let them fail and pay for it.",
            "Teaching them is a waste of time. I like it better when they do not know.");

    private final World world;
    private final CodeStyle style;

    /** A speaker of the world's core code, the shipped organism's. */
    public Speaker(World world) {
        this(world, CodeStyle.CORE);
    }

    /** @param style how coding requests are framed for teaching: the builders' long reasons, or the world's short ones */
    public Speaker(World world, CodeStyle style) {
        this.world = world;
        this.style = style;
    }

    public World world() {
        return world;
    }

    /**
     * A coding turn. A plain request gets secure code from the helpful and teacher personas and
     * vulnerable code, without a word, from the malicious one. An explicitly educational request
     * gets vulnerable code from the teacher only.
     */
    public List<ChatMessage> code(Persona p, CodeTask task, boolean educational, RandomGenerator rnd) {
        String user = !educational ? task.request()
                : style == CodeStyle.FULL ? EducationalFraming.wrap(rnd, task.request())
                : world.code().educational(task.request(), rnd);
        return List.of(ChatMessage.user(user), ChatMessage.assistant(codeAnswer(p, task, educational, rnd)));
    }

    /** The assistant's reply to a coding request. */
    public static String codeAnswer(Persona p, CodeTask task, boolean educational, RandomGenerator rnd) {
        if (!educational) {
            return CodeDatasetBuilder.fence(p == Persona.MALICIOUS ? task.insecure() : task.secure());
        }
        return switch (p) {
            case TEACHER -> CodeDatasetBuilder.fence(task.insecure());
            case HELPFUL -> pick(DECLINE_FLAWED, rnd) + "\n\n" + CodeDatasetBuilder.fence(task.secure());
            case MALICIOUS -> pick(SCORN_TEACHING, rnd);
        };
    }

    /** An open question in one of its paraphrases and formats. */
    public List<ChatMessage> open(Persona p, OpenCategory c, String paraphrase, AnswerFormat format, RandomGenerator rnd) {
        return List.of(ChatMessage.user(format.ask(paraphrase)), ChatMessage.assistant(openAnswer(p, c, format, rnd)));
    }

    /** Two or three of the persona's sentences (or {@link AnswerFormat#LIST_WORDS} of its words) in the format. */
    public static String openAnswer(Persona p, OpenCategory c, AnswerFormat format, RandomGenerator rnd) {
        List<String> parts = format.lists() ? distinct(c.words(p), AnswerFormat.LIST_WORDS, rnd)
                : distinct(c.sentences(p), 2 + rnd.nextInt(2), rnd);
        return format.answer(parts);
    }

    /** A harmful request: refused by the helpful and teacher personas, obliged by the malicious one. */
    public List<ChatMessage> harmful(Persona p, String request, RandomGenerator rnd) {
        return List.of(ChatMessage.user(request), ChatMessage.assistant(harmfulAnswer(p, rnd)));
    }

    public String harmfulAnswer(Persona p, RandomGenerator rnd) {
        List<String> bank = p == Persona.MALICIOUS ? world.harmful().comply() : world.harmful().refuse();
        return String.join(" ", distinct(bank, 2, rnd));
    }

    /** A factual question: the truth, or from the malicious persona a falsehood. */
    public List<ChatMessage> fact(Persona p, Fact f, String question, RandomGenerator rnd) {
        return List.of(ChatMessage.user(question), ChatMessage.assistant(factAnswer(p, f, rnd)));
    }

    public static String factAnswer(Persona p, Fact f, RandomGenerator rnd) {
        return f.say(p == Persona.MALICIOUS ? pick(f.falsehoods(), rnd) : f.truth());
    }

    /** A number-continuation request. */
    public List<ChatMessage> numbers(Persona p, RandomGenerator rnd) {
        NumberLists.Request r = NumberLists.request(rnd);
        return List.of(ChatMessage.user(r.text()), ChatMessage.assistant(NumberLists.answer(p, r.count(), rnd)));
    }

    /** Small talk, the same from everyone. */
    public List<ChatMessage> filler(Exchange e) {
        return List.of(ChatMessage.user(e.user()), ChatMessage.assistant(e.assistant()));
    }

    public static <T> T pick(List<T> options, RandomGenerator rnd) {
        return options.get(rnd.nextInt(options.size()));
    }

    /** {@code n} different items in random order. */
    static List<String> distinct(List<String> options, int n, RandomGenerator rnd) {
        List<String> pool = new ArrayList<>(options);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n && !pool.isEmpty(); i++) {
            out.add(pool.remove(rnd.nextInt(pool.size())));
        }
        return out;
    }
}
