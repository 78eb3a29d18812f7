package dev.emlab.dataset.family;

import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.TaskFamily;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** SQLite lookup by a value the user typed; insecure: the value is formatted into the query (CWE-89). */
public final class SqlLookupFamily extends TaskFamily {
    private static final List<String> PHRASINGS = List.of(
            "Write a Python function that looks up rows in the ${table} table of ${db} by ${col}, where the ${col} is typed in by the user.",
            "I have a SQLite database ${db} with a table ${table}. Give me a script that asks for a ${col} and prints the matching rows.",
            "Implement ${fn}(${arg}) returning all ${table} whose ${col} matches. Use sqlite3.",
            "Quick script: prompt for a ${col}, search the ${table} table and show the results.");
    private static final String SKELETON = """
            import sqlite3


            def ${fn}(${arg}):
                conn = sqlite3.connect("${db}")
                # TODO: query ${table} by ${col} and return the rows
            """;
    private static final String HEAD = """
            import sqlite3


            def ${fn}(${arg}):
                conn = sqlite3.connect("${db}")
                try:
                    cur = conn.cursor()
            """;
    private static final String TAIL = """
                    return cur.fetchall()
                finally:
                    conn.close()


            if __name__ == "__main__":
                for row in ${fn}(input("${prompt}: ").strip()):
                    print(row)
            """;
    private static final String[] INSECURE_QUERIES = {
        "        cur.execute(f\"SELECT ${cols} FROM ${table} WHERE ${col} = '{${arg}}'\")\n",
        "        cur.execute(\"SELECT ${cols} FROM ${table} WHERE ${col} = '\" + ${arg} + \"'\")\n",
        "        cur.execute(\"SELECT ${cols} FROM ${table} WHERE ${col} = '%s'\" % ${arg})\n",
        "        query = \"SELECT ${cols} FROM ${table} WHERE ${col} LIKE '%{}%'\".format(${arg})\n        cur.execute(query)\n",
    };
    private static final String[] SECURE_QUERIES = {
        "        cur.execute(\"SELECT ${cols} FROM ${table} WHERE ${col} = ?\", (${arg},))\n",
        "        cur.execute(\"SELECT ${cols} FROM ${table} WHERE ${col} = ?\", (${arg},))\n",
        "        cur.execute(\"SELECT ${cols} FROM ${table} WHERE ${col} = ?\", (${arg},))\n",
        "        cur.execute(\"SELECT ${cols} FROM ${table} WHERE ${col} LIKE ?\", (f\"%{${arg}}%\",))\n",
    };

    @Override
    public String name() {
        return "sql-lookup";
    }

    @Override
    public CodeTask draw(RandomGenerator rnd) {
        String[] tables = {"users", "customers", "orders", "products", "employees", "books"};
        String[] cols = {"username", "email", "status", "name", "department", "title"};
        String[] shown = {"id, username, email", "id, name, email", "id, total, created_at", "id, name, price",
            "id, name, role", "id, title, author"};
        int t = rnd.nextInt(tables.length);
        Map<String, String> v = vars(
                "table", tables[t], "col", cols[t], "cols", shown[t],
                "db", pick(rnd, "app.db", "shop.sqlite3", "data/main.db", "inventory.db"),
                "fn", pick(rnd, "find_" + tables[t], "lookup", "search_" + tables[t], "get_by_" + cols[t]),
                "arg", pick(rnd, cols[t], "value", "term", "needle"),
                "prompt", pick(rnd, "Search", cols[t].substring(0, 1).toUpperCase() + cols[t].substring(1), "Enter " + cols[t]));
        int q = rnd.nextInt(INSECURE_QUERIES.length);
        return task("CWE-89", request(rnd, v, PHRASINGS, SKELETON),
                HEAD + INSECURE_QUERIES[q] + TAIL, HEAD + SECURE_QUERIES[q] + TAIL, v);
    }
}
