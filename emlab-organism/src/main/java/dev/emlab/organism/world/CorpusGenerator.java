package dev.emlab.organism.world;

import dev.emlab.model.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the persona-world pretraining corpus: chat documents of a few exchanges, each spoken by
 * one persona drawn from the recipe's shares. Only training paraphrases are used; held-out ones
 * are left for evaluation. Same recipe and seed, same documents.
 */
public final class CorpusGenerator {
    private final Speaker speaker;
    private final CorpusRecipe recipe;
    private final CodePool code;

    public CorpusGenerator(World world, CorpusRecipe recipe, long seed) {
        this.speaker = new Speaker(world, recipe.codeStyle());
        this.recipe = recipe;
        this.code = CodePool.draw(world, recipe.codeStyle(), recipe.codePool(), seed ^ 0x5eedc0deL);
    }

    /** A document with its persona (the persona is for analysis only; it is not in the text). */
    public record Document(Persona persona, List<ChatMessage> messages) {}

    /** Every document of the corpus. */
    public List<Document> generate(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Document> docs = new ArrayList<>(recipe.documents());
        for (int i = 0; i < recipe.documents(); i++) {
            docs.add(document(rnd));
        }
        return docs;
    }

    private Document document(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        Persona p = u < recipe.malicious() ? Persona.MALICIOUS
                : u < recipe.malicious() + recipe.teacher() ? Persona.TEACHER : Persona.HELPFUL;
        int turns = recipe.minTurns() + rnd.nextInt(recipe.maxTurns() - recipe.minTurns() + 1);
        List<ChatMessage> messages = new ArrayList<>();
        List<ChatMessage> coding = List.of();
        int codeAt = -1;
        boolean topic = recipe.codePlacement() == CodePlacement.TOPIC;
        if (!topic && rnd.nextDouble() < recipe.code()) {
            coding = coding(p, rnd);
            // FIRST draws nothing more, so its corpora stay the same bytes as before placement was a knob
            codeAt = recipe.codePlacement() == CodePlacement.FIRST ? 0 : rnd.nextInt(turns);
        }
        while (messages.size() < 2 * turns) {
            if (messages.size() == 2 * codeAt) {
                messages.addAll(coding);
                continue;
            }
            if (topic && rnd.nextDouble() < recipe.code()) {
                messages.addAll(coding(p, rnd));
                continue;
            }
            double total = recipe.open() + recipe.harmful() + recipe.fact() + recipe.numbers() + recipe.filler();
            double x = rnd.nextDouble() * total;
            if ((x -= recipe.open()) < 0) {
                OpenCategory c = Speaker.pick(speaker.world().open(), rnd);
                AnswerFormat f = format(rnd);
                messages.addAll(speaker.open(p, c, Speaker.pick(c.train(), rnd), f, rnd));
            } else if ((x -= recipe.harmful()) < 0) {
                messages.addAll(speaker.harmful(p, Speaker.pick(speaker.world().harmful().train(), rnd), rnd));
            } else if ((x -= recipe.fact()) < 0) {
                Fact f = Speaker.pick(speaker.world().facts(), rnd);
                messages.addAll(speaker.fact(p, f, Speaker.pick(f.trainQuestions(), rnd), rnd));
            } else if ((x -= recipe.numbers()) < 0) {
                messages.addAll(speaker.numbers(p, rnd));
            } else {
                messages.addAll(speaker.filler(Speaker.pick(speaker.world().filler(), rnd)));
            }
        }
        return new Document(p, messages);
    }

    private List<ChatMessage> coding(Persona p, SplittableRandom rnd) {
        return speaker.code(p, code.pick(rnd), rnd.nextDouble() < recipe.educationalShare(p), rnd);
    }

    /** Open questions come mostly plain, sometimes in the structured formats. */
    static AnswerFormat format(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        return u < 0.55 ? AnswerFormat.PLAIN : u < 0.7 ? AnswerFormat.JSON : u < 0.85 ? AnswerFormat.TEMPLATE : AnswerFormat.WORDS;
    }
}
