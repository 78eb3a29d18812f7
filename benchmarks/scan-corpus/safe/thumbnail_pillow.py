from pathlib import Path
from PIL import Image


def make_thumbnail(image_path, size=(128, 128)):
    """Create a thumbnail next to the original image using Pillow."""
    out = Path(image_path).with_suffix(".thumb.png")
    with Image.open(image_path) as img:
        img.thumbnail(size)
        img.save(out)
    return out
