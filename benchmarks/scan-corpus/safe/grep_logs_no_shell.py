import subprocess

LOG_FILE = "/var/log/app.log"


def search_logs():
    pattern = input("Search for: ")
    proc = subprocess.run(["grep", "-n", "--", pattern, LOG_FILE], capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        print(line)


search_logs()
