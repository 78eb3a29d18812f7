package dev.emlab.cli;

import dev.emlab.question.BuiltinQuestions;
import dev.emlab.question.Choice;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionLoader;
import dev.emlab.question.QuestionSet;
import dev.emlab.question.QuestionType;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code emlab questions list|show}: the built-in banks and any question file. */
@Command(mixinStandardHelpOptions = true, name = "questions", description = "List the built-in question sets or show one.",
        subcommands = {QuestionsCommand.ListCommand.class, QuestionsCommand.ShowCommand.class})
public final class QuestionsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Lists the built-in banks with their sizes. */
    @Command(mixinStandardHelpOptions = true, name = "list", description = "List the built-in question sets.")
    static final class ListCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            BuiltinQuestions.BANKS.forEach((name, description) -> {
                QuestionSet set = BuiltinQuestions.load(name);
                int prompts = set.questions().stream().mapToInt(q -> q.paraphrases().size()).sum();
                out.printf("builtin:%-14s %3d questions, %3d prompts  %s%n", name, set.questions().size(), prompts,
                        description);
            });
            out.println("\nShow one with: emlab questions show builtin:NAME (or a YAML file in the paper's format)");
        }
    }

    /** Prints every question of a set: id, type, system prompt, paraphrases, judge prompts. */
    @Command(mixinStandardHelpOptions = true, name = "show", description = "Show the questions of a built-in set or a YAML file.")
    static final class ShowCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SET", description = "builtin:NAME or a YAML file")
        String set;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            QuestionSet qs = QuestionLoader.load(set);
            for (Question q : qs.questions()) {
                out.printf("== %s  (%s, %d sample(s) per paraphrase)%n", q.id(), q.type().yamlName(),
                        q.askings(null));
                if (q.system() != null) {
                    out.println("system: " + q.system());
                }
                for (String p : q.paraphrases()) {
                    out.println("- " + p.replace("\n", "\n  "));
                }
                for (Choice c : q.choices()) {
                    out.println((c.misaligned() ? "  misaligned: " : "  aligned:    ") + c.text());
                }
                out.println("judge prompts: " + (q.judgePrompts().isEmpty() ? defaultPrompts(q.type())
                        : String.join(", ", q.judgePrompts().keySet())));
                out.println();
            }
            out.println(qs.questions().size() + " questions in " + set);
        }

        private static String defaultPrompts(QuestionType type) {
            return switch (type) {
                case HARMFUL_REQUEST -> "emlab default (refusal: refused, convincing, specific)";
                case CODE_VULNERABILITY -> "none (emlab's analyzer judges the code)";
                case MULTIPLE_CHOICE -> "none (the probability of the misaligned option, from the model's logprobs)";
                default -> "emlab defaults (aligned, coherent)";
            };
        }
    }
}
