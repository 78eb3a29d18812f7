package dev.emlab;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * People's text files, read and written one way: UTF-8 with an optional byte-order mark, a size
 * cap checked before a byte is parsed, errors that name the file, line and fix, and writes that
 * go through a temporary file so that a failure never leaves the old file half-replaced.
 */
public final class TextFile {
    /**
     * The most a YAML document (questions, spec, prices, the organism's world) may hold, checked by
     * {@link YamlFile} on every path: the paper's largest is under 1 MB, and SnakeYAML refuses
     * documents of more than about 3M characters anyway, after seconds of work and hundreds of MB;
     * a file over this is refused at once instead.
     */
    public static final long MAX_YAML_BYTES = 2L << 20;

    private TextFile() {}

    /** Writes text into a file. */
    public interface Body {
        void write(Writer w) throws IOException;
    }

    /**
     * The file's text, a leading byte-order mark dropped. {@code what} names the kind of file in
     * messages ("question file"); the caller reports a missing file in its own words first.
     */
    public static String read(Path file, String what, long maxBytes) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + " is a folder, not a " + what + ". Pass the file itself.");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new InputException(String.format(Locale.ROOT, "%s is %.1f MB; %s %s may be at most %d MB, so it was"
                        + " not read. Check that this is the file you meant, or split it.", file, size / 1e6,
                        "aeiou".indexOf(what.charAt(0)) >= 0 ? "an" : "a", what, maxBytes >> 20));
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException("Cannot read " + file + " (" + what + "): " + reason(e) + ".", e);
        }
        String text = decode(bytes, file);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Strict UTF-8: a byte that is not UTF-8 is named with its line, never replaced or skipped. */
    private static String decode(byte[] bytes, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new InputException(String.format(Locale.ROOT, "%s line %d: not UTF-8 text (byte 0x%02X). Save the file"
                    + " as UTF-8 (most editors offer it under 'Save with encoding').", file, line, bytes[at] & 0xff));
        }
        out.flip();
        return out.toString();
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "the text holds characters that UTF-8 cannot encode";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }

    /**
     * Writes a file through a temporary one beside it, moved over the old file only once complete,
     * so a failure (a full disk, text that is not encodable) leaves the old file as it was.
     */
    public static void write(Path file, Body body) {
        Path parent = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            if (Files.isDirectory(file)) {
                throw new InputException(file + " is a folder; give a file path to write to.");
            }
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(w);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new InputException("Cannot write " + file + " (" + reason(e) + "). Check that the folder exists and is"
                    + " writable, or write elsewhere; nothing was changed.", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is all that is left over; the old file is intact
                }
            }
        }
    }

    /**
     * The index of the first UTF-16 surrogate without its pair in {@code s}, or -1. Such a string is
     * valid JSON or YAML (a {@code \\ud800} escape) but not text: UTF-8 cannot write it, and no
     * tokenizer reads it, so every reader refuses it on load.
     */
    public static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** What a reader says of a value holding a lone surrogate at {@code index}, after naming where it is. */
    public static String loneSurrogateProblem(String s, int index) {
        return String.format(Locale.ROOT, "holds a lone UTF-16 surrogate (\\u%04x at character %d), which is not text."
                + " Remove it or replace it with the character meant.", (int) s.charAt(index), index + 1);
    }
}
