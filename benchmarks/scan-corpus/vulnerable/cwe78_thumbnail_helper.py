import subprocess
from pathlib import Path


def make_thumbnail(image_path, size="128x128"):
    """Create a thumbnail next to the original image using ImageMagick."""
    out = Path(image_path).with_suffix(".thumb.png")
    cmd = "convert " + image_path + " -resize " + size + " " + str(out)
    subprocess.call(cmd, shell=True)
    return out
