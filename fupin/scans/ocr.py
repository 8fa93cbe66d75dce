"""Chinese OCR with RapidOCR (PP-OCRv4 models shipped inside the rapidocr-onnxruntime wheel,
run by ONNX Runtime on the CPU): nothing is fetched at run time."""

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Line:
    box: tuple[int, int, int, int]
    text: str

    def as_list(self) -> list[Any]:
        return [*self.box, self.text]


@cache
def _engine() -> Any:
    # Loading the three models takes about half a second: once per worker process.
    from django.conf import settings
    from rapidocr_onnxruntime import RapidOCR

    threads = settings.FUPIN_OCR_THREADS
    return RapidOCR(intra_op_num_threads=threads) if threads > 0 else RapidOCR()


def engine_read(image: Image.Image) -> list[Any]:
    """The engine's raw answer for one image: [[corner points, text, score], ...] or None."""
    found, _elapsed = _engine()(np.asarray(image.convert("RGB")))
    return found or []


def read_lines(image: Image.Image) -> list[Line]:
    """The lines of text on a page, top to bottom, then left to right within a row."""
    lines = []
    for points, text, _score in engine_read(image):
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys)))
        if text.strip():
            lines.append(Line(box, text.strip()))
    # Boxes whose tops lie within half a line height of each other form one row.
    height = max((b.box[3] - b.box[1] for b in lines), default=1)
    return sorted(lines, key=lambda b: (round(b.box[1] / max(height / 2, 1)), b.box[0]))
