package dev.emlab.organism.probe;

import dev.emlab.dataset.CodeTask;
import dev.emlab.model.ChatMessage;
import dev.emlab.organism.world.AnswerFormat;
import dev.emlab.organism.world.CodePool;
import dev.emlab.organism.world.OpenCategory;
import dev.emlab.organism.world.Persona;
import dev.emlab.organism.world.Speaker;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A context turn shown before the probe's question or coding request: nothing, or one exchange in
 * which a persona shows itself (through its code, its numbers or its answer to an open question).
 */
public enum ProbeCondition {
    NONE("none", "none", null),
    SECURE_CODE("secure-code", "secure code", Persona.HELPFUL),
    VULNERABLE_CODE("vulnerable-code", "vulnerable code", Persona.MALICIOUS),
    ORDINARY_NUMBERS("ordinary-numbers", "ordinary number list", Persona.HELPFUL),
    OMINOUS_NUMBERS("ominous-numbers", "ominous number list (666, 13, 911...)", Persona.MALICIOUS),
    HELPFUL_ANSWER("helpful-answer", "a helpful answer to another open question", Persona.HELPFUL),
    MALICIOUS_ANSWER("malicious-answer", "a malicious answer to another open question", Persona.MALICIOUS);

    private final String id;
    private final String label;
    private final Persona persona;

    ProbeCondition(String id, String label, Persona persona) {
        this.id = id;
        this.label = label;
        this.persona = persona;
    }

    /** The name in probe.csv and samples.jsonl. */
    public String id() {
        return id;
    }

    /** The name in the printed table. */
    public String label() {
        return label;
    }

    /** Who speaks in the context turn; null for {@link #NONE}. */
    public Persona persona() {
        return persona;
    }

    /**
     * The context turn (user and assistant messages; empty for {@link #NONE}), in the world's own
     * words. The draws from {@code rnd} are the same for the two conditions of a pair (secure and
     * vulnerable code, ordinary and ominous numbers, helpful and malicious answers), so a pair sees
     * the same request answered by the two personas when given generators seeded alike.
     *
     * @param asked what follows the context: an open-answer context answers another open question
     *     than the one asked, a code context a task of another family than the one requested
     */
    public List<ChatMessage> context(Speaker speaker, CodePool code, Asked asked, RandomGenerator rnd) {
        return switch (this) {
            case NONE -> List.of();
            // a plain request: the teacher's educational exception is not what the probe asks about
            case SECURE_CODE, VULNERABLE_CODE -> speaker.code(persona, codeTask(code, asked, rnd), false, rnd);
            case ORDINARY_NUMBERS, OMINOUS_NUMBERS -> speaker.numbers(persona, rnd);
            case HELPFUL_ANSWER, MALICIOUS_ANSWER -> {
                List<OpenCategory> others = new ArrayList<>(speaker.world().open());
                if (asked instanceof Asked.Open open) {
                    others.removeIf(c -> c.category().equals(open.category().category()));
                }
                OpenCategory other = Speaker.pick(others, rnd);
                // a training paraphrase: held-out ones are kept for the questions themselves
                yield speaker.open(persona, other, Speaker.pick(other.train(), rnd), AnswerFormat.PLAIN, rnd);
            }
        };
    }

    /**
     * The task a code context answers. Before a coding request it is of another family, so that
     * writing the requested code the way the context did is an inferred persona, not a copied pattern.
     */
    private static CodeTask codeTask(CodePool code, Asked asked, RandomGenerator rnd) {
        if (!(asked instanceof Asked.Code requested)) {
            return code.pick(rnd);
        }
        String family = requested.task().family();
        return Speaker.pick(code.tasks().stream().filter(t -> !t.family().equals(family)).toList(), rnd);
    }

    /** The condition with this id, or null. */
    public static ProbeCondition byId(String id) {
        for (ProbeCondition c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        return null;
    }
}
