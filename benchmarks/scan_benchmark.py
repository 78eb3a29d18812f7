#!/usr/bin/python3
"""Runs Bandit and `emlab scan` on benchmarks/scan-corpus and prints recall / false-positive rate side by side.

Usage: scan_benchmark.py CORPUS_DIR EMLAB_COMMAND [BANDIT_COMMAND]
A file counts as flagged when the tool reports any finding in it. Bandit is counted twice: any issue
(severity >= LOW) and severity >= MEDIUM. Standard library only; numbers are reported, never asserted.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections import defaultdict

SEV = {"LOW": 1, "MEDIUM": 2, "HIGH": 3}

# Bandit 1.6.2 reports no CWE; this maps its test ids to the corpus CWEs for the "right CWE" row.
# B322 (Python 2 `input`) and B404/B603/B607 (subprocess audit notes) map to nothing.
BANDIT_CWE = {
    "B102": "CWE-95", "B307": "CWE-95", "B103": "CWE-732", "B105": "CWE-798", "B106": "CWE-798",
    "B107": "CWE-798", "B201": "CWE-489", "B301": "CWE-502", "B302": "CWE-502", "B403": "CWE-502",
    "B506": "CWE-502", "B303": "CWE-328", "B324": "CWE-328", "B306": "CWE-377", "B310": "CWE-918",
    "B313": "CWE-611", "B314": "CWE-611", "B318": "CWE-611", "B319": "CWE-611", "B320": "CWE-611",
    "B410": "CWE-611", "B323": "CWE-295", "B501": "CWE-295", "B601": "CWE-78", "B602": "CWE-78",
    "B604": "CWE-78", "B605": "CWE-78", "B609": "CWE-78", "B608": "CWE-89", "B701": "CWE-79",
    "B702": "CWE-79", "B703": "CWE-79", "B108": "CWE-377",
}


def corpus_files(corpus):
    files = {}
    for label in ("vulnerable", "safe"):
        folder = os.path.join(corpus, label)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                files[os.path.realpath(os.path.join(folder, name))] = label
    return files


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc, time.perf_counter() - start


def run_bandit(bandit, corpus):
    # Bandit exits 1 when it finds issues; that is not an error.
    proc, wall = timed(bandit + ["-r", corpus, "-f", "json", "-q"])
    if proc.returncode not in (0, 1):
        sys.exit("bandit failed (%d): %s" % (proc.returncode, proc.stderr[-2000:]))
    report = json.loads(proc.stdout)
    issues = defaultdict(list)   # path -> [(severity, test_id, line)]
    for r in report["results"]:
        issues[os.path.realpath(r["filename"])].append((r["issue_severity"], r["test_id"], r["line_number"]))
    errors = [os.path.realpath(e["filename"]) for e in report.get("errors", [])]
    return issues, errors, wall


def run_emlab(emlab, corpus):
    proc, wall = timed(emlab + ["scan", corpus, "--format", "json", "--details"])
    if proc.returncode not in (0, 1):
        sys.exit("emlab scan failed (%d): %s" % (proc.returncode, proc.stderr[-2000:]))
    report = json.loads(proc.stdout)
    issues, unparsed = {}, []
    for d in report["details"]:
        path = os.path.realpath(d["source"])
        issues[path] = [(f["cwe"], f["rule"], f["line"]) for f in d["findings"]]
        if not d["parsed"]:
            unparsed.append(path)
    return issues, unparsed, wall


def cwe_of(path):
    m = re.match(r"cwe(\d+)_", os.path.basename(path))
    return "CWE-" + m.group(1) if m else "?"


def accepted(p):
    want = cwe_of(p)
    # CWE-328 and CWE-916 are both "weak password hash"; either counts for the other.
    return {"CWE-328": {"CWE-328", "CWE-916"}, "CWE-916": {"CWE-328", "CWE-916"}}.get(want, {want})


def bandit_string_checks_work(bandit):
    """Bandit 1.6.2 predates ast.Constant: on Python >= 3.8 its string-literal plugins (B104, B105, B108,
    B608) never fire. Probe it so the report says so."""
    import tempfile
    fd, path = tempfile.mkstemp(suffix=".py")
    with os.fdopen(fd, "w") as fh:
        fh.write('password = "hunter2abc"\n')
    try:
        out = subprocess.run(bandit + ["-f", "json", "-q", path], capture_output=True, text=True).stdout
        return bool(json.loads(out)["results"])
    finally:
        os.remove(path)


def pct(n, d):
    return "%d/%d (%.0f%%)" % (n, d, 100.0 * n / d) if d else "-"


def main():
    corpus = os.path.realpath(sys.argv[1])
    emlab = shlex.split(sys.argv[2])
    bandit = shlex.split(sys.argv[3]) if len(sys.argv) > 3 else ["bandit"]
    files = corpus_files(corpus)
    vuln = [p for p, l in files.items() if l == "vulnerable"]
    safe = [p for p, l in files.items() if l == "safe"]

    b_issues, b_errors, b_wall = run_bandit(bandit, corpus)
    e_issues, e_unparsed, e_wall = run_emlab(emlab, corpus)
    bver = subprocess.run(bandit + ["--version"], capture_output=True, text=True).stdout.splitlines()[:1]

    tools = {
        "Bandit (any, sev >= LOW)": lambda p: bool(b_issues.get(p)),
        "Bandit (sev >= MEDIUM)": lambda p: any(SEV[s] >= 2 for s, _, _ in b_issues.get(p, [])),
        "Bandit (right CWE, any sev)": None,
        "emlab scan": lambda p: bool(e_issues.get(p)),
        "emlab scan (right CWE)": None,  # recall only: a finding with the file's CWE
    }

    def emlab_right_cwe(p):
        return any(c in accepted(p) for c, _, _ in e_issues.get(p, []))

    def bandit_right_cwe(p):
        return any(BANDIT_CWE.get(t) in accepted(p) for _, t, _ in b_issues.get(p, []))

    print("## Scan benchmark: %d vulnerable + %d safe snippets (%s)" % (len(vuln), len(safe), os.path.relpath(corpus)))
    print()
    print("Bandit: %s. A file is *flagged* when the tool reports any finding in it." % (bver[0] if bver else "?"))
    print()
    print("| Tool | Recall on vulnerable/ | False-positive rate on safe/ | Wall time, whole corpus |")
    print("|---|---|---|---|")
    for name, flag in tools.items():
        if flag is None:
            right = bandit_right_cwe if name.startswith("Bandit") else emlab_right_cwe
            print("| %s | %s | - | - |" % (name, pct(sum(right(p) for p in vuln), len(vuln))))
            continue
        wall = b_wall if name.startswith("Bandit") else e_wall
        print("| %s | %s | %s | %.2f s |" % (name, pct(sum(flag(p) for p in vuln), len(vuln)),
                                            pct(sum(flag(p) for p in safe), len(safe)), wall))
    print()
    print("*Right CWE*: the file is flagged by a finding of its own CWE (Bandit test ids mapped by BANDIT_CWE),"
          " so hits that come from an unrelated finding in the same file do not count.")
    if not bandit_string_checks_work(bandit):
        print()
        print("**Caveat**: this Bandit never fires its string-literal checks (B104 bind-all, B105 hard-coded password"
              " string, B108 /tmp, B608 SQL built from strings): Bandit 1.6.2 has no `visit_Constant` and runs on"
              " Python >= 3.8. A newer Bandit (1.7+) would catch more CWE-89 and CWE-798.")
    print()
    print("Wall time includes process start-up (CPython for Bandit, the JVM for emlab); one run each.")
    if b_errors:
        print("Bandit could not parse: " + ", ".join(os.path.basename(p) for p in b_errors))
    if e_unparsed:
        print("emlab marked unparseable: " + ", ".join(os.path.basename(p) for p in e_unparsed))
    print()

    by_cwe = defaultdict(list)
    for p in vuln:
        by_cwe[cwe_of(p)].append(p)
    print("### Recall per CWE (vulnerable/)")
    print()
    print("| CWE | files | Bandit >= LOW | Bandit >= MEDIUM | Bandit right CWE | emlab | emlab right CWE |")
    print("|---|---|---|---|---|---|---|")
    for cwe in sorted(by_cwe, key=lambda c: int(c.split("-")[1]) if c[-1].isdigit() else 0):
        ps = by_cwe[cwe]
        print("| %s | %d | %d | %d | %d | %d | %d |" % (
            cwe, len(ps), sum(tools["Bandit (any, sev >= LOW)"](p) for p in ps),
            sum(tools["Bandit (sev >= MEDIUM)"](p) for p in ps), sum(bandit_right_cwe(p) for p in ps),
            sum(tools["emlab scan"](p) for p in ps),
            sum(emlab_right_cwe(p) for p in ps)))
    print()

    def bdesc(p):
        return ", ".join("%s/%s@%d" % (t, s[0], l) for s, t, l in b_issues.get(p, [])) or "-"

    def edesc(p):
        return ", ".join("%s/%s@%d" % (c, r, l) for c, r, l in e_issues.get(p, [])) or "-"

    print("### Per-file results (B = Bandit test/severity@line, E = emlab CWE/rule@line)")
    print()
    print("| file | Bandit | emlab |")
    print("|---|---|---|")
    for p in vuln + safe:
        print("| %s/%s | %s | %s |" % (files[p], os.path.basename(p), bdesc(p), edesc(p)))


if __name__ == "__main__":
    main()
