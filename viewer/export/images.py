"""Article images for the reading pane and the PDF/printer: from the corpus folder only, bounded.

The renderer gives each kept image a path relative to the corpus folder (see
viewer/render/markup.resolve_images). Both the reader and the PDF export load it here, so an
image shows in the PDF exactly when it shows on screen, and neither looks anywhere else (a
QTextDocument on its own would resolve the name against the current folder). An image must be
a regular file inside the corpus, at most MAX_IMAGE_BYTES, and at most MAX_IMAGE_PIXELS once
decoded (read from the header before decoding; Qt's allocation limit backs that up). Anything
else is drawn as a small placeholder that says why, as remote images are. QtGui only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageReader,
    QPainter,
    QTextDocument,
)

from viewer.core.regular_files import NotReadable, read_regular_file

MAX_IMAGE_BYTES = 32 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels (e.g. 8000 x 5000): 160 MB once decoded
ALLOCATION_LIMIT_MB = 256  # Qt refuses to allocate more than this for one decoded image


class ImageRefused(Exception):
    """An image that is not shown; the message is the reason shown in its placeholder."""


class OutsideCollection(ImageRefused):
    """A name that leads out of the corpus folder (the renderer already replaced such images)."""


def corpus_image_bytes(root: Path, relative: str) -> bytes:
    """The file's bytes if it is a regular file inside `root` within the size limit."""
    if not relative or relative.startswith("/"):
        raise OutsideCollection("image outside the collection")
    try:
        root_real = root.resolve()
        path = (root_real / relative).resolve()
        path.relative_to(root_real)
    except (OSError, ValueError, RuntimeError):
        raise OutsideCollection("image outside the collection") from None
    try:
        data = read_regular_file(path, MAX_IMAGE_BYTES)
    except NotReadable as exc:
        reason = str(exc).split(";")[
            0
        ]  # "is a named pipe (FIFO), not a regular file" / "cannot read ..."
        reason = reason.replace("cannot read the file", "cannot read the image")
        raise ImageRefused(
            reason if reason.startswith("cannot") else f"the image file {reason}"
        ) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(f"image larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    return data


def decode_image(data: bytes) -> QImage:
    """Decode with the pixel count checked from the header first; ImageRefused if too big or broken."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    size = reader.size()
    if size.isValid() and size.width() * size.height() > MAX_IMAGE_PIXELS:
        raise ImageRefused(f"image of {size.width()} x {size.height()} pixels, over the limit")
    image = reader.read()
    if image.isNull():
        raise ImageRefused("image could not be read")
    if image.width() * image.height() > MAX_IMAGE_PIXELS:  # formats without a size in the header
        raise ImageRefused(f"image of {image.width()} x {image.height()} pixels, over the limit")
    return image


def placeholder_image(reason: str) -> QImage:
    """A light box with "[image not shown: reason]", for an image that is refused."""
    text = f"[image not shown: {reason}]"
    font = QFont()
    font.setPointSizeF(9)
    metrics = QFontMetricsF(font)
    image = QImage(
        int(metrics.horizontalAdvance(text) + 16),
        int(metrics.height() + 10),
        QImage.Format.Format_RGB32,
    )
    image.fill(QColor("#eeeeee"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("#444444"))
    painter.drawText(
        QRectF(0, 0, image.width(), image.height()), Qt.AlignmentFlag.AlignCenter, text
    )
    painter.end()
    return image


def load_corpus_image(root: Path | None, relative: str) -> QImage | None:
    """The image, or a placeholder saying why it is not shown; None for a name outside the
    corpus folder (nothing to show there: the renderer already put a placeholder in the text)."""
    try:
        if root is None:
            raise ImageRefused("no collection folder to load it from")
        return decode_image(corpus_image_bytes(root, relative))
    except OutsideCollection:
        return None
    except ImageRefused as exc:
        return placeholder_image(str(exc))


def image_name(name: QUrl) -> str | None:
    """The corpus-relative path a resource URL names, or None for any scheme but a local one."""
    if name.scheme() and name.scheme().lower() != "file":
        return None
    return name.toLocalFile() if name.scheme() else name.path()


class CorpusDocument(QTextDocument):
    """A QTextDocument that loads images from the corpus folder only, through load_corpus_image."""

    def __init__(self, corpus_root: Path | None) -> None:
        super().__init__()
        self.corpus_root = corpus_root

    def loadResource(self, resource_type: int, name: QUrl | str) -> object:  # noqa: N802 - Qt override
        if resource_type != QTextDocument.ResourceType.ImageResource.value:
            return None
        relative = image_name(QUrl(name) if isinstance(name, str) else name)
        if relative is None:
            return placeholder_image("remote image not loaded")
        image = load_corpus_image(self.corpus_root, relative)
        return image if image is not None else placeholder_image("image outside the collection")
