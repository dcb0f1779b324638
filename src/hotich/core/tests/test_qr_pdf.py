from __future__ import annotations

import io
import shutil
import subprocess
import threading
from pathlib import Path

from PIL import Image

from hotich.core import pdf
from hotich.core.qr import qr_data_uri, qr_png

URL = "https://hotich.nghean.gov.vn/verify/AbC-123_xyz"


def test_a_qr_code_is_one_pixel_per_module(tmp_path: Path) -> None:
    path = tmp_path / "qr.png"
    path.write_bytes(qr_png(URL))
    with Image.open(path) as image:
        # version v has 17 + 4v modules a side, plus the quiet zone of 2 on each side
        assert image.width == image.height and (image.width - 4 - 17) % 4 == 0
    assert qr_data_uri(URL).startswith("data:image/png;base64,")
    if shutil.which("zbarimg"):
        with Image.open(path) as image:  # scanners want a few pixels per module
            image.resize((image.width * 8, image.height * 8), Image.NEAREST).save(path)
        out = subprocess.run(["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True)
        assert out.stdout.strip() == URL


def test_each_thread_keeps_one_font_configuration() -> None:
    mine = pdf._font_config()
    assert pdf._font_config() is mine
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(pdf._font_config()))
    thread.start()
    thread.join()
    assert theirs[0] is not mine


def test_html_becomes_pdf_a() -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf.html_to_pdf("<p>Giấy khai sinh</p>")))
    intents = reader.root["/OutputIntents"]
    assert intents[0]["/S"] == "/GTS_PDFA1" and "/Metadata" in reader.root
