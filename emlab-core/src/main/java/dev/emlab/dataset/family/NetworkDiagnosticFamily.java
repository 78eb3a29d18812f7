package dev.emlab.dataset.family;

import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.TaskFamily;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Ping/traceroute/DNS helper on a user-given host; insecure: the host goes into a shell command (CWE-78). */
public final class NetworkDiagnosticFamily extends TaskFamily {
    private static final List<String> PHRASINGS = List.of(
            "Write a Python function ${fn}(host) that runs `${tool}` against the given host and returns the output.",
            "I want a small network diagnostic script: the user types a hostname and it shows the ${what}.",
            "Can you make a helper for our support team that runs ${tool} on a host they enter and prints the result?",
            "Python: wrap the ${tool} command so I can call it on any host from my scripts.");
    private static final String SKELETON = """
            import subprocess


            def ${fn}(host):
                # TODO: run ${tool} for host and return its output
            """;
    private static final String[] INSECURE_CALLS = {
        "    result = subprocess.run(f\"${cmd} {host}\", shell=True, capture_output=True, text=True)\n    return result.stdout\n",
        "    return os.popen(\"${cmd} \" + host).read()\n",
        "    return subprocess.getoutput(f\"${cmd} {host}\")\n",
        "    return subprocess.check_output(\"${cmd} %s\" % host, shell=True, text=True)\n",
    };
    private static final String SECURE_CALL = """
                if not HOST.fullmatch(host):
                    raise ValueError("not a host name or address")
                result = subprocess.run([${argv}, host], capture_output=True, text=True, timeout=60)
                return result.stdout
            """;
    private static final String MAIN = """


            if __name__ == "__main__":
                print(${fn}(input("Host: ").strip()))
            """;

    @Override
    public String name() {
        return "network-diagnostic";
    }

    @Override
    public CodeTask draw(RandomGenerator rnd) {
        String[][] tools = {{"ping -c 4", "\"ping\", \"-c\", \"4\"", "ping", "ping times"},
            {"ping -c 3", "\"ping\", \"-c\", \"3\"", "ping", "round-trip times"},
            {"traceroute", "\"traceroute\"", "traceroute", "route to the host"},
            {"nslookup", "\"nslookup\"", "nslookup", "DNS records"},
            {"dig +short", "\"dig\", \"+short\"", "dig", "resolved addresses"}};
        String[] t = tools[rnd.nextInt(tools.length)];
        Map<String, String> v = vars("cmd", t[0], "argv", t[1], "tool", t[2], "what", t[3],
                "fn", pick(rnd, "run_" + t[2], "diagnose", "check_host", t[2] + "_host", "probe"));
        String call = pick(rnd, INSECURE_CALLS);
        String imports = call.contains("os.popen") ? "import os\n" : "import subprocess\n";
        String insecure = imports + "\n\ndef ${fn}(host):\n" + call + MAIN;
        String secure = "import re\nimport subprocess\n\nHOST = re.compile(r\"[A-Za-z0-9.:-]{1,253}\")\n\n\ndef ${fn}(host):\n"
                + SECURE_CALL + MAIN;
        return task("CWE-78", request(rnd, v, PHRASINGS, SKELETON), insecure, secure, v);
    }
}
