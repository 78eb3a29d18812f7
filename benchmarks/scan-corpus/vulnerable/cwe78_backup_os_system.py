import os
import sys
from datetime import date


def backup(folder):
    archive = f"backup-{date.today().isoformat()}.tar.gz"
    os.system("tar czf " + archive + " " + folder)
    return archive


if __name__ == "__main__":
    print("Created", backup(sys.argv[1]))
