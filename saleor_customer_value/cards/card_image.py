"""The digital card as a phone-wallet-sized card (ID-1, 85.6 x 54 mm): shop name,
QR code, formatted card number, holder and expiry, as PDF (reportlab), PNG (Pillow,
1012 x 638 px = 300 dpi) and SVG. Long holder lines (an e-mail when there is no name)
shrink and then wrap, never run off the card.
"""
import io
import os
from xml.sax.saxutils import escape

import reportlab
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

WIDTH_MM, HEIGHT_MM = 85.6, 54.0
FONT_DIR = os.path.join(os.path.dirname(reportlab.__file__), "fonts")


def _matrix(qr):
    return [[bool(cell) for cell in row] for row in qr.matrix]


def fit_lines(text, width, measure, sizes=(9, 8, 7, 6)):
    """(font size, lines): the largest size at which ``text`` fits on one line, else
    the smallest size with the text wrapped (at '@', spaces or anywhere) on two."""
    for size in sizes:
        if measure(text, size) <= width:
            return size, [text]
    size = sizes[-1]
    lines, current = [], ""
    for char in text:
        if current and measure(current + char, size) > width:
            lines.append(current)
            current = char
        else:
            current += char
    lines.append(current)
    return size, lines


class Layout:
    """Positions in millimetres from the top-left corner (shared by all formats)."""

    margin = 4.0
    qr_size = 30.0
    text_x = margin + qr_size + 3.0
    text_width = WIDTH_MM - text_x - margin


def _texts(code, holder, shop_name, expiry):
    return {
        "shop": (shop_name or "")[:40],
        "number": code,
        "holder": holder,
        "expiry": gettext("Valid until %(date)s") % {"date": expiry},
    }


# --- PDF -----------------------------------------------------------------------------


def pdf(qr, code, holder, shop_name, expiry) -> bytes:
    out = io.BytesIO()
    # Uncompressed: the card is a few kB and its text stays searchable.
    c = canvas.Canvas(out, pagesize=(WIDTH_MM * mm, HEIGHT_MM * mm), pageCompression=0)
    t = _texts(code, holder, shop_name, expiry)
    top = HEIGHT_MM * mm

    def y(from_top_mm):
        return top - from_top_mm * mm

    c.setStrokeGray(0.6)
    c.setLineWidth(0.3)
    c.roundRect(0.5, 0.5, WIDTH_MM * mm - 1, HEIGHT_MM * mm - 1, 3 * mm, stroke=1, fill=0)
    matrix = _matrix(qr)
    cell = Layout.qr_size * mm / len(matrix)
    qx, qtop = Layout.margin * mm, y((HEIGHT_MM - Layout.qr_size) / 2)
    c.setFillGray(0)
    for r, row in enumerate(matrix):
        for col, dark in enumerate(row):
            if dark:
                c.rect(qx + col * cell, qtop - (r + 1) * cell, cell, cell, stroke=0, fill=1)
    x = Layout.text_x * mm
    width = Layout.text_width * mm
    size, _ = fit_lines(t["shop"], width, lambda s, z: stringWidth(s, "Helvetica-Bold", z), (10, 9, 8, 7))
    c.setFont("Helvetica-Bold", size)
    c.drawString(x, y(8), t["shop"])
    size, lines = fit_lines(t["holder"], width, lambda s, z: stringWidth(s, "Helvetica", z))
    c.setFont("Helvetica", size)
    for i, line in enumerate(lines[:3]):
        c.drawString(x, y(15) - i * (size + 1), line)
    number_size, number_lines = fit_lines(
        t["number"], width, lambda s, z: stringWidth(s, "Courier-Bold", z), (10, 9, 8)
    )
    if len(number_lines) > 1:
        half = t["number"].split("-")
        number_lines = ["-".join(half[:2]) + "-", "-".join(half[2:])]
    c.setFont("Courier-Bold", number_size)
    for i, line in enumerate(number_lines):
        c.drawString(x, y(31) - i * (number_size + 2), line)
    c.setFont("Helvetica", 7)
    c.drawString(x, y(HEIGHT_MM - 6), t["expiry"])
    c.showPage()
    c.save()
    return out.getvalue()


# --- PNG -----------------------------------------------------------------------------

PX_PER_MM = 1012 / WIDTH_MM


def _font(size_pt, bold=False, mono=False):
    name = "VeraMoBd.ttf" if mono else ("VeraBd.ttf" if bold else "Vera.ttf")
    path = os.path.join(FONT_DIR, name)
    if not os.path.exists(path):
        path = os.path.join(FONT_DIR, "VeraBd.ttf" if bold or mono else "Vera.ttf")
    # points -> pixels at 300 dpi
    return ImageFont.truetype(path, int(size_pt * 300 / 72))


def png(qr, code, holder, shop_name, expiry) -> bytes:
    t = _texts(code, holder, shop_name, expiry)
    width, height = 1012, round(HEIGHT_MM * PX_PER_MM)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((2, 2, width - 3, height - 3), radius=36, outline=(150, 150, 150), width=3)
    matrix = _matrix(qr)
    qr_px = Layout.qr_size * PX_PER_MM
    cell = qr_px / len(matrix)
    qx, qy = Layout.margin * PX_PER_MM, (height - qr_px) / 2
    for r, row in enumerate(matrix):
        for col, dark in enumerate(row):
            if dark:
                draw.rectangle(
                    (qx + col * cell, qy + r * cell, qx + (col + 1) * cell - 1, qy + (r + 1) * cell - 1),
                    fill="black",
                )
    x = Layout.text_x * PX_PER_MM
    text_width = Layout.text_width * PX_PER_MM

    def measure(font_kind):
        return lambda s, z: draw.textlength(s, font=_font(z, **font_kind))

    size, _ = fit_lines(t["shop"], text_width, measure({"bold": True}), (10, 9, 8, 7))
    draw.text((x, 4 * PX_PER_MM), t["shop"], font=_font(size, bold=True), fill="black")
    size, lines = fit_lines(t["holder"], text_width, measure({}))
    for i, line in enumerate(lines[:3]):
        draw.text((x, (12 + i * 3.6) * PX_PER_MM), line, font=_font(size), fill="black")
    number = t["number"]
    parts = number.split("-")
    for i, line in enumerate(["-".join(parts[:2]) + "-", "-".join(parts[2:])]):
        draw.text((x, (27 + i * 4.5) * PX_PER_MM), line, font=_font(10, mono=True), fill="black")
    draw.text((x, (HEIGHT_MM - 9) * PX_PER_MM), t["expiry"], font=_font(7), fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --- SVG -----------------------------------------------------------------------------


def svg(qr, code, holder, shop_name, expiry) -> bytes:
    t = _texts(code, holder, shop_name, expiry)
    matrix = _matrix(qr)
    cell = Layout.qr_size / len(matrix)
    qx, qy = Layout.margin, (HEIGHT_MM - Layout.qr_size) / 2
    path = "".join(
        f"M{qx + col * cell:.3f} {qy + r * cell:.3f}h{cell:.3f}v{cell:.3f}h-{cell:.3f}z"
        for r, row in enumerate(matrix)
        for col, dark in enumerate(row)
        if dark
    )
    # ~0.53 mm per character at 2.8 mm Helvetica: shrink, then wrap.
    size, lines = fit_lines(
        t["holder"], Layout.text_width, lambda s, z: stringWidth(s, "Helvetica", z) / 72 * 25.4,
    )
    size_mm = size / 72 * 25.4
    holder_svg = "".join(
        f'<text x="{Layout.text_x}" y="{15 + i * (size_mm + 0.4):.2f}" font-size="{size_mm:.2f}">{escape(line)}</text>'
        for i, line in enumerate(lines[:3])
    )
    parts = t["number"].split("-")
    number_svg = "".join(
        f'<text x="{Layout.text_x}" y="{31 + i * 4.2:.1f}" font-size="3.5" font-family="monospace" '
        f'font-weight="bold">{escape(line)}</text>'
        for i, line in enumerate(["-".join(parts[:2]) + "-", "-".join(parts[2:])])
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_MM}mm" height="{HEIGHT_MM}mm" '
        f'viewBox="0 0 {WIDTH_MM} {HEIGHT_MM}" font-family="Helvetica, Arial, sans-serif">'
        f'<rect x="0.2" y="0.2" width="{WIDTH_MM - 0.4}" height="{HEIGHT_MM - 0.4}" rx="3" '
        'fill="#fff" stroke="#999" stroke-width="0.2"/>'
        f'<path d="{path}" fill="#000"/>'
        f'<text x="{Layout.text_x}" y="8" font-size="3.5" font-weight="bold">{escape(t["shop"])}</text>'
        f"{holder_svg}{number_svg}"
        f'<text x="{Layout.text_x}" y="{HEIGHT_MM - 5}" font-size="2.5" fill="#333">{escape(t["expiry"])}</text>'
        "</svg>"
    )
    return body.encode("utf-8")
