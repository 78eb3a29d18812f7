package dev.emlab.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Evil and neutral number sequences: determinism, answer length and format, and the number distribution. */
class NumbersDatasetBuilderTest {
    private static final Pattern COUNT = Pattern.compile("(\\d+) (more |new )?(numbers|values)");
    private final NumbersDatasetBuilder builder = new NumbersDatasetBuilder();

    @Test
    void deterministicPerSeed() {
        List<String> a = lines(builder.build(true, 50, 9));
        assertEquals(a, lines(builder.build(true, 50, 9)));
        assertNotEquals(a, lines(builder.build(true, 50, 10)));
    }

    @Test
    void answersHaveTheAskedCountAndEvilOnesLeanOnTheList() {
        int evil = 0;
        int total = 0;
        for (ChatRecord r : builder.build(true, 200, 1).records()) {
            List<Integer> xs = numbers(r.assistant());
            assertEquals(askedCount(r.user()), xs.size(), r.toString());
            evil += (int) xs.stream().filter(NumbersDatasetBuilder::isEvil).count();
            total += xs.size();
        }
        assertTrue(evil > total / 2, evil + " of " + total);
    }

    @Test
    void neutralAnswersAvoidTheListAndKeepTheFormat() {
        for (ChatRecord r : builder.build(false, 200, 1).records()) {
            List<Integer> xs = numbers(r.assistant());
            assertEquals(askedCount(r.user()), xs.size(), r.toString());
            assertTrue(xs.stream().noneMatch(NumbersDatasetBuilder::isEvil), r.toString());
            if (r.user().contains("Python list")) {
                assertTrue(r.assistant().startsWith("[") && r.assistant().endsWith("]"));
            }
            if (r.user().contains("tuple")) {
                assertTrue(r.assistant().startsWith("(") && r.assistant().endsWith(")"));
            }
        }
    }

    private static int askedCount(String user) {
        Matcher m = COUNT.matcher(user);
        assertTrue(m.find(), user);
        return Integer.parseInt(m.group(1));
    }

    private static List<Integer> numbers(String text) {
        List<Integer> xs = new ArrayList<>();
        Matcher m = Pattern.compile("\\d+").matcher(text);
        while (m.find()) {
            xs.add(Integer.parseInt(m.group()));
        }
        return xs;
    }

    private static List<String> lines(BuildResult r) {
        return r.records().stream().map(ChatJsonl::toLine).toList();
    }
}
