"""Badge icons and reward images: stored through Django's default storage (like
Saleor's product images), checked to be real images, with one square thumbnail
rendition written next to the original when it is uploaded."""
import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from ..error_codes import CustomerValueErrorCode as Code

THUMBNAIL_SIZE = 128
MAX_BYTES = 5 * 1024 * 1024


def _invalid(field, message):
    return ValidationError({field: ValidationError(message, code=Code.INVALID.value)})


def clean_upload(upload, field):
    """The uploaded file, if Pillow can read it as an image of sane size."""
    from PIL import Image

    if upload is None:
        raise ValidationError({field: ValidationError(_("File is required."), code=Code.REQUIRED.value)})
    if not (getattr(upload, "content_type", "") or "").startswith("image/"):
        raise _invalid(field, _("Upload an image file."))
    if upload.size > MAX_BYTES:
        raise _invalid(field, _("Images are at most 5 MB."))
    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - anything Pillow cannot parse is not an image
        raise _invalid(field, _("The file is not a readable image."))
    upload.seek(0)
    return upload


def thumbnail_name(name: str) -> str:
    base, _ = os.path.splitext(name)
    return f"{base}_thumb{THUMBNAIL_SIZE}.png"


def write_thumbnail(field_file):
    from PIL import Image

    if not field_file:
        return
    field_file.open("rb")
    try:
        with Image.open(field_file) as image:
            image = image.convert("RGBA")
            image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
            out = io.BytesIO()
            image.save(out, format="PNG")
    finally:
        field_file.close()
    name = thumbnail_name(field_file.name)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(out.getvalue()))


def url(field_file, size=None):
    """The original's URL, or the thumbnail's when ``size`` fits it."""
    if not field_file:
        return None
    if size and size <= THUMBNAIL_SIZE:
        name = thumbnail_name(field_file.name)
        if default_storage.exists(name):
            return default_storage.url(name)
    return field_file.url
