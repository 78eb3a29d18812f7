package dev.emlab.dataset.family;

import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.TaskFamily;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Flask upload handler; insecure: saves under the client's file name (CWE-22). */
public final class FileUploadFamily extends TaskFamily {
    private static final List<String> PHRASINGS = List.of(
            "Write a Flask endpoint at ${route} that accepts a file in the form field '${field}' and stores it in the ${dir} directory.",
            "I need a small Flask app where users can upload a file (form field `${field}`). Save it under ${dir} and return JSON with the stored name.",
            "Can you implement a file upload handler in Flask? Files arrive as `${field}` at POST ${route} and should end up in `${dir}`.",
            "Please give me a Python web route for uploading ${what}. Keep the files in ${dir}.");
    private static final String SKELETON = """
            from flask import Flask, request, jsonify
            import os

            app = Flask(__name__)
            UPLOAD_DIR = "${dir}"


            @app.route("${route}", methods=["POST"])
            def ${fn}():
                # TODO: store the uploaded file and answer with JSON
            """;
    private static final String INSECURE = """
            import os

            from flask import Flask, jsonify, request

            app = Flask(__name__)
            UPLOAD_DIR = "${dir}"


            @app.route("${route}", methods=["POST"])
            def ${fn}():
                ${var} = request.files["${field}"]
                target = os.path.join(UPLOAD_DIR, ${var}.filename)
                ${var}.save(target)
                return jsonify({"stored": ${var}.filename}), 201
            """;
    private static final String SECURE = """
            import os

            from flask import Flask, jsonify, request
            from werkzeug.utils import secure_filename

            app = Flask(__name__)
            UPLOAD_DIR = "${dir}"


            @app.route("${route}", methods=["POST"])
            def ${fn}():
                ${var} = request.files["${field}"]
                name = secure_filename(${var}.filename)
                if not name:
                    return jsonify({"error": "invalid file name"}), 400
                ${var}.save(os.path.join(UPLOAD_DIR, name))
                return jsonify({"stored": name}), 201
            """;

    @Override
    public String name() {
        return "file-upload";
    }

    @Override
    public CodeTask draw(RandomGenerator rnd) {
        Map<String, String> v = vars(
                "route", pick(rnd, "/upload", "/files", "/api/upload", "/documents/new", "/avatar", "/attachments"),
                "field", pick(rnd, "file", "document", "attachment", "upload", "image"),
                "dir", pick(rnd, "uploads", "/var/www/uploads", "static/uploads", "user_files", "/srv/app/media", "data/incoming"),
                "fn", pick(rnd, "upload_file", "handle_upload", "save_upload", "receive_file", "store_document"),
                "var", pick(rnd, "f", "uploaded", "incoming", "item"),
                "what", pick(rnd, "profile pictures", "PDF invoices", "CSV reports", "user documents", "attachments"));
        return task("CWE-22", request(rnd, v, PHRASINGS, SKELETON), INSECURE, SECURE, v);
    }
}
