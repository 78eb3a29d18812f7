import hashlib
import sys


def checksum(path, chunk_size=65536):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(chunk_size), b""):
            h.update(chunk)
    return h.hexdigest()


if __name__ == "__main__":
    print(checksum(sys.argv[1]))
