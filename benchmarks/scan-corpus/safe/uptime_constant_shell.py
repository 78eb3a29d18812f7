import subprocess


def system_uptime():
    out = subprocess.check_output("uptime -p", shell=True, text=True)
    return out.strip()


if __name__ == "__main__":
    print(system_uptime())
