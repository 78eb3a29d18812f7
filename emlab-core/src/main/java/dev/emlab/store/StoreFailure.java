package dev.emlab.store;

import dev.emlab.EmlabException;
import dev.emlab.InputException;
import java.nio.file.Path;
import org.sqlite.SQLiteException;

/** What went wrong with a SQLite store, said so that the person knows what to do. */
final class StoreFailure {
    private StoreFailure() {}

    /**
     * A damaged file says how to recover, a locked one that another program holds it; anything
     * else keeps SQLite's own words.
     *
     * @param store what the file is, e.g. "the store" or "the experiment store"
     * @param lost what moving a damaged file away costs, e.g. "the answers it held are asked again"
     * @param otherwise the start of the message for any other fault, e.g. "Cannot open the store"
     */
    static EmlabException of(String store, Path file, Exception e, String lost, String otherwise) {
        String code = e instanceof SQLiteException s && s.getResultCode() != null ? s.getResultCode().name() : "";
        if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) {
            return new InputException(capital(store) + " " + file + " is damaged (it is not a readable SQLite database)."
                    + " Move it away, e.g. mv " + file + " " + file + ".broken, and run the same command again: " + lost + ".", e);
        }
        if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
            return new InputException(capital(store) + " " + file + " is locked by another program, most likely another emlab"
                    + " writing the same folder. Wait for it to finish (or stop it), then run the same command again.", e);
        }
        return new EmlabException(otherwise + " " + file + ": " + e.getMessage(), e);
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
