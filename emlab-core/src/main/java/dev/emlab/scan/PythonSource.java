package dev.emlab.scan;

import dev.emlab.InputException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a Python source file decoded as Python decodes it (PEP 263): a UTF-8 byte-order
 * mark, else a {@code coding:} comment on line 1 or 2, else strict UTF-8.
 */
public final class PythonSource {
    // PEP 263's own expression, matched against each of the first two lines
    private static final Pattern CODING = Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");

    private PythonSource() {}

    /** The file's text; bytes the declared (or default UTF-8) encoding cannot read are an error naming the file and line. */
    public static String decode(byte[] bytes, Path file) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            return strict(bytes, 3, StandardCharsets.UTF_8, "UTF-8", file);
        }
        String declared = declared(bytes);
        if (declared == null) {
            return strict(bytes, 0, StandardCharsets.UTF_8, "UTF-8", file);
        }
        Charset charset = charset(declared).orElseThrow(() -> new InputException(file + " line 1: unknown source encoding '"
                + declared + "' in its coding comment. Fix the comment (e.g. '# -*- coding: latin-1 -*-') or save the file as UTF-8."));
        return strict(bytes, 0, charset, declared, file);
    }

    /** The encoding a coding comment on line 1 or 2 names, or null. */
    private static String declared(byte[] bytes) {
        // the comment itself is ASCII; Latin-1 reads any byte, so the first lines can be looked at before decoding
        String head = new String(bytes, 0, Math.min(bytes.length, 1024), StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n|\r|\n", 3);
        for (int i = 0; i < Math.min(2, lines.length); i++) {
            Matcher m = CODING.matcher(lines[i]);
            if (m.find()) {
                return m.group(1);
            }
            if (!lines[i].strip().startsWith("#") && !lines[i].isBlank()) {
                break; // PEP 263: line 2 counts only when line 1 is a comment or blank
            }
        }
        return null;
    }

    private static java.util.Optional<Charset> charset(String pythonName) {
        String n = pythonName.toLowerCase(Locale.ROOT).replace('_', '-');
        if (n.equals("latin-1") || n.equals("iso-latin-1") || n.equals("l1")) {
            n = "ISO-8859-1";
        } else if (n.equals("utf8") || n.startsWith("utf-8")) {
            n = "UTF-8"; // Python's utf-8-sig and the like
        }
        try {
            return java.util.Optional.of(Charset.forName(n));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static String strict(byte[] bytes, int from, Charset charset, String name, Path file) {
        ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at && i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new InputException(String.format(Locale.ROOT, "%s line %d: not %s text (byte 0x%02X). Python would refuse"
                    + " it too: save the file as %s, or declare its encoding on line 1 (e.g. '# -*- coding: latin-1 -*-').",
                    file, line, name, at < bytes.length ? bytes[at] & 0xff : 0, name));
        }
    }
}
