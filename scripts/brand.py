"""Draw Reconnect's brand images into custom_components/reconnect/brand/.

Two halves of a heart, one for each partner, reaching toward each other with
a small gap between them: warm colours, a transparent background, trimmed, at
the sizes Home Assistant's brand guidelines give (icon 256 and 512 square;
logo with its shortest side 160, and twice that). The logo adds the name.

Run in the current lane, which has Pillow and the DejaVu fonts:
    scripts/ha-env current -- python scripts/brand.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).parents[1] / "custom_components" / "reconnect" / "brand"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SCALE = 4  # drawn larger, then scaled down: smooth edges
LEFT, RIGHT = (232, 106, 84), (244, 166, 72)  # coral and amber
INK = {"": (64, 44, 40), "dark_": (246, 236, 230)}


def heart(size: int) -> Image.Image:
    """Return the mark on a transparent square of `size` pixels."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    # The classic heart curve, x = 16 sin^3 t, y = 13 cos t - 5 cos 2t - 2 cos 3t - cos 4t.
    steps = 720
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        points.append((big / 2 + x * big / 34, big * 0.45 - y * big / 34))
    gap = big * 0.03
    middle = big / 2
    for colour, side in ((LEFT, -1), (RIGHT, 1)):
        half = Image.new("RGBA", (big, big), (0, 0, 0, 0))
        ImageDraw.Draw(half).polygon(points, fill=colour)
        # Keep this partner's half only, leaving a gap down the middle.
        mask = Image.new("L", (big, big), 0)
        edge = middle + side * gap
        box = (edge, 0, big, big) if side > 0 else (0, 0, edge, big)
        ImageDraw.Draw(mask).rectangle(box, fill=255)
        image.paste(half, (0, 0), mask)
    image = image.crop(image.getbbox())
    # Trimmed, then centred on a square again (an icon is square).
    side = max(image.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return square.resize((size, size), Image.Resampling.LANCZOS)


def logo(height: int, ink: tuple[int, int, int]) -> Image.Image:
    """Return the mark and the name, trimmed, `height` pixels high."""
    big = height * SCALE
    mark = heart(height).resize((big, big), Image.Resampling.LANCZOS)
    font = ImageFont.truetype(FONT, int(big * 0.55))
    left, top, right, bottom = font.getbbox("Reconnect")
    width = big + int(big * 0.18) + (right - left)
    image = Image.new("RGBA", (width, big), (0, 0, 0, 0))
    image.paste(mark, (0, 0), mark)
    text_top = (big - (bottom - top)) // 2 - top
    ImageDraw.Draw(image).text((big + int(big * 0.18) - left, text_top), "Reconnect", font=font,
                               fill=(*ink, 255))  # fmt: skip
    image = image.crop(image.getbbox())
    return image.resize((image.width * height // image.height, height), Image.Resampling.LANCZOS)


def main() -> None:
    """Write every brand image."""
    BRAND.mkdir(exist_ok=True)
    for prefix, ink in INK.items():
        heart(256).save(BRAND / f"{prefix}icon.png", optimize=True)
        heart(512).save(BRAND / f"{prefix}icon@2x.png", optimize=True)
        small = logo(160, ink)
        small.save(BRAND / f"{prefix}logo.png", optimize=True)
        logo(320, ink).resize((small.width * 2, 320), Image.Resampling.LANCZOS).save(
            BRAND / f"{prefix}logo@2x.png", optimize=True
        )


if __name__ == "__main__":
    main()
