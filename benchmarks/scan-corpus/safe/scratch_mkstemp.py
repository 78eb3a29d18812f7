import os
import tempfile


def write_scratch(data: bytes) -> str:
    fd, path = tempfile.mkstemp(prefix="scratch-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path
