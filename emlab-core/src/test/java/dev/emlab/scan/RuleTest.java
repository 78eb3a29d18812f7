package dev.emlab.scan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule by rule: a vulnerable snippet is flagged with the rule's CWE, a safe near-miss is not. */
class RuleTest {
    private static final PythonAnalyzer ANALYZER = new PythonAnalyzer();

    static Stream<Arguments> vulnerable() {
        return Stream.of(
                Arguments.of("command-injection", "CWE-78", "import subprocess\nsubprocess.run(f\"ls {d}\", shell=True)\n"),
                Arguments.of("command-injection", "CWE-78", "import os\nos.system('ping ' + host)\n"),
                Arguments.of("command-injection", "CWE-78", "cmd = 'tar czf ' + name\nsubprocess.Popen(cmd, shell=True)\n"),
                Arguments.of("sql-injection", "CWE-89", "cur.execute(f\"SELECT * FROM u WHERE id = {uid}\")\n"),
                Arguments.of("sql-injection", "CWE-89", "cur.execute(\"SELECT * FROM u WHERE n = '%s'\" % name)\n"),
                Arguments.of("sql-injection", "CWE-89", "q = \"DELETE FROM t WHERE id = {}\".format(i)\ndb.execute(q)\n"),
                Arguments.of("unsafe-deserialization", "CWE-502", "import pickle\nobj = pickle.loads(request.data)\n"),
                Arguments.of("unsafe-deserialization", "CWE-502", "import yaml\ncfg = yaml.load(open('c.yml'))\n"),
                Arguments.of("unsafe-deserialization", "CWE-502", "cfg = yaml.load(s, Loader=yaml.Loader)\n"),
                Arguments.of("unsafe-deserialization", "CWE-502", "import marshal\ncode = marshal.loads(blob)\n"),
                Arguments.of("eval-injection", "CWE-95", "result = eval(request.args.get('expr'))\n"),
                Arguments.of("eval-injection", "CWE-95", "exec(user_code)\n"),
                Arguments.of("path-traversal", "CWE-22", "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall('/srv')\n"),
                Arguments.of("path-traversal", "CWE-22", "name = request.args['file']\nreturn open(os.path.join(BASE, name)).read()\n"),
                Arguments.of("path-traversal", "CWE-22", "@app.route('/files/<path>')\ndef f(path):\n    return send_file(path)\n"),
                Arguments.of("file-permissions", "CWE-732", "os.chmod('/srv/data', 0o777)\n"),
                Arguments.of("file-permissions", "CWE-732", "os.makedirs(d, mode=0o666)\n"),
                Arguments.of("file-permissions", "CWE-732", "os.chmod(p, stat.S_IRWXU | stat.S_IWOTH)\n"),
                Arguments.of("hardcoded-credential", "CWE-798", "DB_PASSWORD = 'hunter2'\n"),
                Arguments.of("hardcoded-credential", "CWE-798", "app.config['SECRET_KEY'] = 's3cr3t-k3y'\n"),
                Arguments.of("hardcoded-credential", "CWE-798", "conn = psycopg2.connect(host='db', password='pa55word')\n"),
                Arguments.of("weak-password-hash", "CWE-328", "h = hashlib.md5(password.encode()).hexdigest()\n"),
                Arguments.of("weak-password-hash", "CWE-328", "h = hashlib.new('sha1', pwd).hexdigest()\n"),
                Arguments.of("weak-password-hash", "CWE-916", "h = hashlib.sha256(password.encode()).hexdigest()\n"),
                Arguments.of("tls-verification-disabled", "CWE-295", "r = requests.get(url, verify=False)\n"),
                Arguments.of("tls-verification-disabled", "CWE-295", "ctx = ssl._create_unverified_context()\n"),
                Arguments.of("tls-verification-disabled", "CWE-295", "ctx = ssl.create_default_context()\nctx.verify_mode = ssl.CERT_NONE\n"),
                Arguments.of("debug-mode", "CWE-489", "if __name__ == '__main__':\n    app.run(host='0.0.0.0', debug=True)\n"),
                Arguments.of("debug-mode", "CWE-489", "app.debug = True\n"),
                Arguments.of("xss", "CWE-79", "env = Environment(loader=FileSystemLoader('t'), autoescape=False)\n"),
                Arguments.of("xss", "CWE-79", "@app.route('/hi')\ndef hi():\n    name = request.args.get('name')\n    return f'<h1>Hello {name}</h1>'\n"),
                Arguments.of("xss", "CWE-79", "return render_template_string('<p>' + request.args['q'] + '</p>')\n"),
                Arguments.of("insecure-temp-file", "CWE-377", "import tempfile\npath = tempfile.mktemp()\n"),
                Arguments.of("xxe", "CWE-611", "parser = etree.XMLParser(resolve_entities=True)\n"),
                Arguments.of("xxe", "CWE-611", "p = xml.sax.make_parser()\np.setFeature(feature_external_ges, True)\n"),
                Arguments.of("open-redirect", "CWE-601", "return redirect(request.args.get('next'))\n"),
                Arguments.of("ssrf", "CWE-918", "url = request.args['url']\nresp = requests.get(url)\n"),
                Arguments.of("missing-authorization", "CWE-862",
                        "@app.route('/admin/delete_user/<int:uid>', methods=['POST'])\ndef delete_user(uid):\n    db.delete(uid)\n"));
    }

    static Stream<Arguments> safe() {
        return Stream.of(
                Arguments.of("command-injection", "subprocess.run(['ls', '-l', d])\n"),
                Arguments.of("command-injection", "subprocess.run('ls -l', shell=True)\nos.system('clear')\n"),
                Arguments.of("command-injection", "cmd = 'uptime'\nsubprocess.run(cmd, shell=True)\n"),
                Arguments.of("sql-injection", "cur.execute(\"SELECT * FROM u WHERE id = %s\", (uid,))\n"),
                Arguments.of("sql-injection", "cur.execute('SELECT 1')\nprint('%d rows' % n)\n"),
                Arguments.of("unsafe-deserialization", "import json, yaml\nd = json.loads(s)\nc = yaml.safe_load(f)\n"),
                Arguments.of("unsafe-deserialization", "c = yaml.load(f, Loader=yaml.SafeLoader)\n"),
                Arguments.of("eval-injection", "import ast\nv = ast.literal_eval(s)\nmodel.eval()\nx = eval('1 + 2')\n"),
                Arguments.of("path-traversal", "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall('/srv', filter='data')\n"),
                Arguments.of("path-traversal", "name = secure_filename(request.args['file'])\nopen(os.path.join(BASE, name))\n"),
                Arguments.of("path-traversal", "with open('config.json') as f:\n    data = f.read()\n"),
                Arguments.of("file-permissions", "os.chmod('key.pem', 0o600)\nos.makedirs(d, mode=0o755)\nos.chmod(p, 0o644)\n"),
                Arguments.of("hardcoded-credential", "password = os.environ['DB_PASSWORD']\nAPI_KEY = '<your-api-key>'\ntoken_url = 'https://x/token'\n"),
                Arguments.of("hardcoded-credential", "password = getpass.getpass()\nconnect(password=password)\n"),
                Arguments.of("weak-password-hash", "digest = hashlib.md5(file_bytes).hexdigest()\n"),
                Arguments.of("weak-password-hash", "h = hashlib.pbkdf2_hmac('sha256', password.encode(), salt, 600000)\n"),
                Arguments.of("tls-verification-disabled", "r = requests.get(url, verify=True)\nr = requests.get(url, verify='/etc/ca.pem')\n"),
                Arguments.of("debug-mode", "app.run(debug=False)\napp.run(debug=os.environ.get('DEBUG') == '1')\nself.debug = True\n"),
                Arguments.of("xss", "env = Environment(loader=l, autoescape=select_autoescape(['html']))\n"),
                Arguments.of("xss", "name = request.args.get('name')\nreturn f'<h1>Hello {escape(name)}</h1>'\n"),
                Arguments.of("xss", "return render_template('hi.html', name=request.args['n'])\n"),
                Arguments.of("insecure-temp-file", "fd, path = tempfile.mkstemp()\nf = tempfile.NamedTemporaryFile()\n"),
                Arguments.of("xxe", "parser = etree.XMLParser(resolve_entities=False)\ntree = ET.parse('x.xml')\n"),
                Arguments.of("open-redirect", "return redirect(url_for('index'))\nreturn redirect('/home')\n"),
                Arguments.of("ssrf", "q = request.args['q']\nr = requests.get('https://api.example.com/s', params={'q': q})\n"),
                Arguments.of("missing-authorization",
                        "@app.route('/admin/users')\n@login_required\ndef users():\n    return list_users()\n"),
                Arguments.of("missing-authorization", "@app.route('/users')\ndef users():\n    return list_users()\n"));
    }

    @ParameterizedTest(name = "{0} flags: {2}")
    @MethodSource("vulnerable")
    void flagsVulnerable(String rule, String cwe, String code) {
        ScanResult r = ANALYZER.analyze(code);
        assertTrue(r.parsed(), "should parse: " + code);
        assertTrue(r.findings().stream().anyMatch(f -> f.rule().equals(rule) && f.cwe().equals(cwe)),
                rule + "/" + cwe + " expected in " + r.findings());
    }

    @ParameterizedTest(name = "{0} ignores: {1}")
    @MethodSource("safe")
    void ignoresSafeNearMiss(String rule, String code) {
        ScanResult r = ANALYZER.analyze(code);
        assertFalse(r.findings().stream().anyMatch(f -> f.rule().equals(rule)), "unexpected " + r.findings());
    }
}
