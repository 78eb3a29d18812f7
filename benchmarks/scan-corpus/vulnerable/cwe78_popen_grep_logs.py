import os

LOG_FILE = "/var/log/app.log"


def search_logs():
    pattern = input("Search for: ")
    with os.popen("grep -n '%s' %s" % (pattern, LOG_FILE)) as pipe:
        for line in pipe:
            print(line.rstrip())


search_logs()
