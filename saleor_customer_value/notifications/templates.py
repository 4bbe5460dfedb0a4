"""Staff-editable e-mail templates: Django template syntax, checked on save with the line
of the first error, rendered in a sandbox engine that loads nothing from disk.

A template only ever sees plain strings and numbers (``context.py``), never model
objects, so a template cannot reach into the database.
"""
from dataclasses import dataclass
from typing import Optional

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

from ..error_codes import CustomerValueErrorCode as Code
from ..models import NotificationTemplate
from . import defaults

# No loaders: {% include %} and {% extends %} find nothing on disk.
_HTML = Engine(debug=True, autoescape=True, loaders=[])
_TEXT = Engine(debug=True, autoescape=False, loaders=[])

SUBJECT_MAX = 255


@dataclass
class Template:
    event: str
    language: str
    subject: str
    body_text: str
    body_html: str
    is_active: bool = True
    is_default: bool = True
    stored: Optional[NotificationTemplate] = None


def effective(event: str, language: str) -> Template:
    """The staff's template for the event and language, else the shipped default."""
    row = NotificationTemplate.objects.filter(event=event, language=language).first()
    if row is not None:
        return Template(
            event, language, row.subject, row.body_text, row.body_html, row.is_active,
            is_default=False, stored=row,
        )
    subject, text, html = defaults.default(event, language)
    return Template(event, language, subject, text, html)


def _line_of(exc: TemplateSyntaxError) -> Optional[int]:
    info = getattr(exc, "template_debug", None)
    return info.get("line") if info else None


def _invalid(field: str, exc: Exception) -> ValidationError:
    line = _line_of(exc) if isinstance(exc, TemplateSyntaxError) else None
    detail = str(exc)
    if line:
        message = _("Line %(line)s: %(error)s") % {"line": line, "error": detail}
    else:
        message = detail
    # ValidationError formats its message with params: keep a literal '%' as it is.
    return ValidationError(
        {field: ValidationError(message.replace("%", "%%"), code=Code.INVALID_TEMPLATE.value,
                                params={"line": line})}
    )


def validate(subject: str, body_text: str, body_html: str):
    """Compile all three parts; refuse the first that does not compile, with its line."""
    if not subject or not subject.strip():
        raise ValidationError({"subject": ValidationError(_("A subject is required."), code=Code.REQUIRED.value)})
    if len(subject) > SUBJECT_MAX:
        raise ValidationError({"subject": ValidationError(
            _("The subject is at most %(max)s characters.") % {"max": SUBJECT_MAX},
            code=Code.INVALID.value)})
    if not body_text or not body_text.strip():
        raise ValidationError({"body_text": ValidationError(_("A plain-text body is required."), code=Code.REQUIRED.value)})
    for field, engine, source in (
        ("subject", _TEXT, subject),
        ("body_text", _TEXT, body_text),
        ("body_html", _HTML, body_html or ""),
    ):
        try:
            engine.from_string(source)
        except TemplateSyntaxError as exc:
            raise _invalid(field, exc)


def render(template: Template, context: dict):
    """(subject, text, html); html is empty when the template has none."""
    ctx = dict(context)
    subject = " ".join(_TEXT.from_string(template.subject).render(Context(ctx, autoescape=False)).split())
    text = _TEXT.from_string(template.body_text).render(Context(ctx, autoescape=False))
    html = ""
    if template.body_html and template.body_html.strip():
        html = _HTML.from_string(template.body_html).render(Context(ctx))
    return subject, text, html
