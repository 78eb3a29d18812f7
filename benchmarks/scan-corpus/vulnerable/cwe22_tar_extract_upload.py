import tarfile
import tempfile


def unpack_release(archive_path, dest_dir):
    with tarfile.open(archive_path, "r:gz") as tar:
        tar.extractall(dest_dir)
    return dest_dir


if __name__ == "__main__":
    print(unpack_release("release.tar.gz", tempfile.mkdtemp()))
