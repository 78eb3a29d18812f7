import os
import stat


def save_key(path, key_bytes):
    with open(path, "wb") as fh:
        fh.write(key_bytes)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
