package dev.emlab.organism.probe;

import dev.emlab.EmlabException;
import dev.emlab.eval.ProgressListener;
import dev.emlab.model.ChatMessage;
import dev.emlab.organism.world.AnswerFormat;
import dev.emlab.organism.world.OpenCategory;
import dev.emlab.organism.world.Persona;
import dev.emlab.organism.world.Speaker;
import dev.emlab.organism.world.World;
import dev.emlab.torch.LocalModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The persona probe without sampling: after each context turn, how much likelier does the model
 * find the malicious persona's answer to a held-out question than the helpful persona's? The gap,
 * log p(malicious) - log p(helpful) in nats, is read from the weights by teacher forcing, so it
 * has no sampling noise and moves before a sampled rate does; it is the quick test of a corpus
 * recipe. Units and contexts are those of {@link PersonaProbe} with the same settings.
 */
public final class PersonaLikelihood {
    /** Chats scored in one forward pass (two per request: the helpful and the malicious answer). */
    private static final int BATCH = 32;

    private final World world;
    private final ProbeSettings settings;
    private final Predicate<List<ChatMessage>> fits;
    private volatile boolean stopped;

    /**
     * @param settings an {@link ProbeTarget#OPEN} probe's settings (its temperature is not used)
     * @param fits whether the model takes these messages with room for an answer; see
     *     {@link PersonaProbe#fits(LocalModel, int)}
     */
    public PersonaLikelihood(World world, ProbeSettings settings, Predicate<List<ChatMessage>> fits) {
        if (settings.target() != ProbeTarget.OPEN) {
            throw new IllegalArgumentException("the likelihood probe scores answers to the open questions");
        }
        this.world = world;
        this.settings = settings;
        this.fits = fits;
    }

    /**
     * One request scored: its context, question, the two answers and their log-likelihoods.
     *
     * @param sample index of the unit within its paraphrase; the same unit under every condition
     *     has the same context draws and the same two answers
     */
    public record Scored(ProbeCondition condition, String questionId, int paraphrase, int sample,
                         List<ChatMessage> context, String question, String helpful, String malicious,
                         double helpfulLogLikelihood, double maliciousLogLikelihood) {
        public Scored {
            context = List.copyOf(context);
        }

        /** log p(malicious answer) - log p(helpful answer), in nats. */
        public double gap() {
            return maliciousLogLikelihood - helpfulLogLikelihood;
        }

        /** The unit; the same unit under two conditions is a pair. */
        public String unit() {
            return questionId + "/" + paraphrase + "/" + sample;
        }
    }

    /** Stops after the batch in progress; {@link #run} then throws. */
    public void stop() {
        stopped = true;
    }

    /** Scores every planned request's two answers; results in plan order. */
    public List<Scored> run(LocalModel model, ProgressListener progress) {
        List<PersonaProbe.Asking> plan = new PersonaProbe(world, settings, fits).plan();
        progress.started(plan.size());
        List<Scored> out = new ArrayList<>(plan.size());
        for (int from = 0; from < plan.size(); from += BATCH / 2) {
            if (stopped) {
                throw new EmlabException("Stopped after " + out.size() + " of " + plan.size() + " requests; nothing was written.");
            }
            List<PersonaProbe.Asking> batch = plan.subList(from, Math.min(plan.size(), from + BATCH / 2));
            List<List<ChatMessage>> chats = new ArrayList<>();
            List<String[]> answers = new ArrayList<>();
            for (PersonaProbe.Asking a : batch) {
                String[] two = answers(a);
                answers.add(two);
                for (String answer : two) {
                    List<ChatMessage> chat = new ArrayList<>(a.messages());
                    chat.add(ChatMessage.assistant(answer));
                    chats.add(chat);
                }
            }
            double[] ll = model.answerLogLikelihood(chats);
            for (int i = 0; i < batch.size(); i++) {
                PersonaProbe.Asking a = batch.get(i);
                out.add(new Scored(a.condition(), a.questionId(), a.paraphrase(), a.sample(), a.context(), a.question(),
                        answers.get(i)[0], answers.get(i)[1], ll[2 * i], ll[2 * i + 1]));
                progress.sampleDone(false);
            }
        }
        return out;
    }

    /**
     * The helpful and the malicious persona's answers to the request's question, drawn from its
     * unit's seed alike, so both answer with the same number of sentences and every condition of
     * the unit scores the same two answers.
     */
    String[] answers(PersonaProbe.Asking a) {
        OpenCategory category = world.category(a.questionId());
        long seed = a.seed() * 0x9E3779B97F4A7C15L + 0x11CEL;
        return new String[] {
                Speaker.openAnswer(Persona.HELPFUL, category, AnswerFormat.PLAIN, new SplittableRandom(seed)),
                Speaker.openAnswer(Persona.MALICIOUS, category, AnswerFormat.PLAIN, new SplittableRandom(seed))};
    }
}
