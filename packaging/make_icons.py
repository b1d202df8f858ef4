"""Render ``resources/icons/app.svg`` into ``app.ico`` (Windows) and ``app.icns`` (macOS).

    .venv/bin/python packaging/make_icons.py        # rewrites both files; commit them

Rendering uses Qt's own SVG renderer (QtSvg ships with PySide6-Essentials), so no extra
dependency. Both containers hold PNG images, which Windows Vista+ and macOS 10.7+ read:

- ``.ico``: a 6-byte header, one 16-byte directory entry per image, then the PNG bytes.
- ``.icns``: ``icns`` + total length, then one ``type + length + PNG`` block per image.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
#: icns element types holding PNG data, with their pixel size (the @2x types are the Retina
#: variants of the size half as large).
ICNS_TYPES = (
    (b"ic07", 128), (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024),
    (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn antialiased on a transparent ``size`` x ``size`` canvas, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG image Qt can draw.")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"Qt could not encode a {size}px PNG.")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ``.ico`` file holding one PNG per size (sizes up to 256)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        png = images[size]
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset))
        blobs.append(png)
        offset += len(png)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(elements: list[tuple[bytes, bytes]]) -> bytes:
    """An ``.icns`` file from ``(type, png)`` elements."""
    body = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(svg: Path = ICONS / "app.svg", out_dir: Path = ICONS) -> tuple[Path, Path]:
    """Write ``app.ico`` and ``app.icns`` next to the SVG; returns their paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    sizes = sorted(set(ICO_SIZES) | {size for _kind, size in ICNS_TYPES})
    pngs = {size: render_png(svg, size) for size in sizes}
    ico = out_dir / "app.ico"
    ico.write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    icns = out_dir / "app.icns"
    icns.write_bytes(icns_bytes([(kind, pngs[size]) for kind, size in ICNS_TYPES]))
    del app
    return ico, icns


def main() -> int:
    for path in make_icons():
        print(f"Wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
