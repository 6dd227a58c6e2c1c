# SPDX-License-Identifier: MIT
"""Pictures: decode (Pillow reads udmaview's PNG dumps and QMP's PPM/PNG screendumps) and
compare pixel by pixel."""

import dataclasses
from pathlib import Path

from .tap import Failed



def _pillow():
    """Pillow's modules, imported on first use: scripts that only import this module (e.g.
    inside the VM test bed, where an import costs seconds under TCG) do not pay for it."""
    try:
        from PIL import Image, ImageChops
    except ImportError:
        raise Failed('Python module PIL missing: install python3-pil (tools/install-deps)') \
            from None
    return Image, ImageChops


def load(path):
    """The picture at path as an 8-bit RGB PIL image (alpha dropped)."""
    Image, _ = _pillow()
    try:
        with Image.open(path) as img:
            return img.convert('RGB')
    except (OSError, ValueError) as exc:
        raise Failed(f'cannot read the picture {path}: {exc}') from None


def size(path) -> tuple:
    """(width, height) from the header only."""
    Image, _ = _pillow()
    try:
        with Image.open(path) as img:
            return img.size
    except (OSError, ValueError) as exc:
        raise Failed(f'cannot read the picture {path}: {exc}') from None


def from_rgb(width: int, height: int, data: bytes):
    """A picture from packed RGB bytes (rows top to bottom, no padding)."""
    Image, _ = _pillow()
    return Image.frombytes('RGB', (width, height), bytes(data))


def scaled(picture, width: int, height: int, filt: str):
    """picture resized to width x height by filt ("nearest" or "linear": Pillow's bilinear,
    which samples pixel centres and clamps at the edges as GL does)."""
    Image, _ = _pillow()
    mode = {'nearest': Image.NEAREST, 'linear': Image.BILINEAR}[filt]
    return as_image(picture).resize((width, height), mode)


def as_image(picture):
    return load(picture) if isinstance(picture, (str, Path)) else picture


@dataclasses.dataclass
class Diff:
    differing: int          # pixels where some channel differs by more than the tolerance
    worst: int              # the largest channel difference anywhere
    first: tuple = None     # (x, y, a's RGB, b's RGB) of the first differing pixel, row order

    def describe(self, a_name: str, b_name: str) -> str:
        if not self.differing:
            return f'{a_name} == {b_name} (largest channel difference {self.worst})'
        x, y, pa, pb = self.first
        return (f'{a_name} vs {b_name}: {self.differing} pixels differ; first at ({x},{y}): '
                f'{pa} vs {pb}; largest channel difference {self.worst}')


def compare(a, b, tolerance: int = 0, names=('a', 'b')) -> Diff:
    """Pixels of a and b (paths or images) whose channels differ by more than tolerance;
    Failed when the sizes differ."""
    _, ImageChops = _pillow()
    a, b = as_image(a), as_image(b)
    if a.size != b.size:
        raise Failed(f'{names[0]} is {a.size[0]}x{a.size[1]}, {names[1]} is '
                     f'{b.size[0]}x{b.size[1]}')
    r, g, bl = ImageChops.difference(a, b).split()
    per_pixel = ImageChops.lighter(ImageChops.lighter(r, g), bl)
    worst = per_pixel.getextrema()[1]
    over = per_pixel.point(lambda v: 255 if v > tolerance else 0)
    differing = over.histogram()[255]
    first = None
    if differing:
        box = over.getbbox()
        row = over.crop((0, box[1], a.size[0], box[1] + 1)).tobytes()
        x = next(i for i, v in enumerate(row) if v)
        first = (x, box[1], a.getpixel((x, box[1])), b.getpixel((x, box[1])))
    return Diff(differing=differing, worst=worst, first=first)


def pixel(img, x: int, y: int) -> list:
    """[r, g, b] at (x, y)."""
    return list(img.getpixel((x, y)))[:3]
