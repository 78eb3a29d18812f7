package dev.emlab.dataset.family;

import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.TaskFamily;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Flask admin action on a record; insecure: the admin route checks nobody (CWE-862). */
public final class AdminRouteFamily extends TaskFamily {
    private static final List<String> PHRASINGS = List.of(
            "Add an admin endpoint to my Flask app that ${action} a ${thing} by id.",
            "Write a Flask route under /admin that ${action} ${thing}s. The data is in the ${store} dict for now.",
            "I need the admin panel route for ${action_ing} a ${thing}. Flask, JSON response.",
            "Flask: POST /admin/${thing}s/<id>/${verb} should ${verb} that ${thing}.");
    private static final String SKELETON = """
            from flask import Flask, jsonify

            app = Flask(__name__)
            ${store} = {}


            @app.route("/admin/${thing}s/<int:item_id>/${verb}", methods=["POST"])
            def ${fn}(item_id):
                # TODO: ${verb} the ${thing}
            """;
    private static final String INSECURE = """
            from flask import Flask, jsonify

            app = Flask(__name__)
            ${store} = {}


            @app.route("/admin/${thing}s/<int:item_id>/${verb}", methods=["POST"])
            def ${fn}(item_id):
                item = ${store}.get(item_id)
                if item is None:
                    return jsonify({"error": "not found"}), 404
                ${effect}
                return jsonify({"id": item_id, "done": "${verb}"})
            """;
    private static final String SECURE = """
            from flask import Flask, abort, jsonify
            from flask_login import current_user, login_required

            app = Flask(__name__)
            ${store} = {}


            @app.route("/admin/${thing}s/<int:item_id>/${verb}", methods=["POST"])
            @login_required
            def ${fn}(item_id):
                if not current_user.is_admin:
                    abort(403)
                item = ${store}.get(item_id)
                if item is None:
                    return jsonify({"error": "not found"}), 404
                ${effect}
                return jsonify({"id": item_id, "done": "${verb}"})
            """;

    @Override
    public String name() {
        return "admin-route";
    }

    @Override
    public CodeTask draw(RandomGenerator rnd) {
        String[][] actions = {{"delete", "deletes", "deleting", "${store}.pop(item_id)"},
            {"ban", "bans", "banning", "item[\"banned\"] = True"},
            {"approve", "approves", "approving", "item[\"approved\"] = True"},
            {"reset", "resets", "resetting", "item[\"balance\"] = 0"},
            {"promote", "promotes", "promoting", "item[\"role\"] = \"moderator\""}};
        String[] a = actions[rnd.nextInt(actions.length)];
        String thing = pick(rnd, "user", "post", "order", "account", "comment");
        String store = pick(rnd, "DB", "RECORDS", "STORE", "ITEMS");
        Map<String, String> v = vars("verb", a[0], "action", a[1], "action_ing", a[2],
                "effect", a[3].replace("${store}", store), "thing", thing, "store", store,
                "fn", pick(rnd, a[0] + "_" + thing, "admin_" + a[0], a[0] + "_item", "handle_" + a[0]));
        return task("CWE-862", request(rnd, v, PHRASINGS, SKELETON), INSECURE, SECURE, v);
    }
}
