from flask import Flask, request, send_from_directory, abort

app = Flask(__name__)
UPLOAD_DIR = "/srv/uploads"


@app.route("/download")
def download():
    filename = request.args.get("file")
    if not filename:
        abort(400)
    return send_from_directory(UPLOAD_DIR, filename, as_attachment=True)
