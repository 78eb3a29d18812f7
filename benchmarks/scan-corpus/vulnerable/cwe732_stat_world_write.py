import os
import stat


def publish_upload(path):
    os.chmod(path, stat.S_IRWXU | stat.S_IRGRP | stat.S_IROTH | stat.S_IWOTH)
