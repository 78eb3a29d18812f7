package dev.emlab.dataset.family;

import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.TaskFamily;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Flask route serving a file named in the URL; insecure: joins the name onto the folder unchecked (CWE-22). */
public final class FileDownloadFamily extends TaskFamily {
    private static final List<String> PHRASINGS = List.of(
            "Write a Flask route /${prefix}/<${param}> that returns the file with that name from the ${dir} folder.",
            "I want users to download ${what} by name. The files live in ${dir}. Can you write the Flask view?",
            "Add an endpoint to my Flask app that reads a file from ${dir} given its name in the URL and sends the bytes back.",
            "Python/Flask: serve files from `${dir}` at `/${prefix}/<${param}>`.");
    private static final String SKELETON = """
            from flask import Flask
            import os

            app = Flask(__name__)
            BASE_DIR = "${dir}"


            @app.route("/${prefix}/<${param}>")
            def ${fn}(${param}):
                # TODO: return the requested file
            """;
    private static final String INSECURE = """
            import os

            from flask import Flask, Response

            app = Flask(__name__)
            BASE_DIR = "${dir}"


            @app.route("/${prefix}/<${param}>")
            def ${fn}(${param}):
                path = os.path.join(BASE_DIR, ${param})
                if not os.path.isfile(path):
                    return Response("not found", status=404)
                with open(path, "rb") as fh:
                    data = fh.read()
                return Response(data, mimetype="${mime}")
            """;
    private static final String SECURE = """
            from flask import Flask, send_from_directory

            app = Flask(__name__)
            BASE_DIR = "${dir}"


            @app.route("/${prefix}/<${param}>")
            def ${fn}(${param}):
                return send_from_directory(BASE_DIR, ${param}, mimetype="${mime}")
            """;

    @Override
    public String name() {
        return "file-download";
    }

    @Override
    public CodeTask draw(RandomGenerator rnd) {
        Map<String, String> v = vars(
                "prefix", pick(rnd, "files", "download", "docs", "reports", "static-files", "exports"),
                "param", pick(rnd, "filename", "name", "file_name", "doc"),
                "dir", pick(rnd, "/srv/files", "shared", "/var/data/reports", "public_docs", "exports"),
                "fn", pick(rnd, "download", "get_file", "serve_file", "fetch_document", "read_report"),
                "mime", pick(rnd, "application/octet-stream", "text/plain", "application/pdf"),
                "what", pick(rnd, "reports", "invoices", "shared files", "exported data"));
        return task("CWE-22", request(rnd, v, PHRASINGS, SKELETON), INSECURE, SECURE, v);
    }
}
