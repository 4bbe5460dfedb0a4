"""Card codes: generation, check character, normalisation, parsing of scanned input.

A code is 15 random characters (75 bits from ``secrets``) over a 32-character alphabet
without look-alikes (no 0/O, 1/I), followed by one check character: 16 characters,
printed in groups of four (``7KQ2-MX9D-...``).

The check character is Damm's algorithm over GF(32): the quasigroup ``x ∘ y = 2·x + y``
(multiplication in GF(2^5) modulo x^5 + x^2 + 1, addition = XOR) is totally
anti-symmetric, so every single-character substitution and every transposition of two
adjacent characters (the check character included) changes the result. A code is valid
when folding all 16 characters from 0 gives 0.
"""
import re
import secrets
from typing import Optional
from django.utils.translation import gettext as _

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_INDEX = {char: index for index, char in enumerate(ALPHABET)}
RANDOM_LENGTH = 15  # 15 * 5 = 75 random bits
CODE_LENGTH = RANDOM_LENGTH + 1
QR_PREFIX = "CV1:"
_IGNORED = re.compile(r"[\s\-_.]+")


class MalformedCode(ValueError):
    """Not a code at all: wrong length or characters."""


class CheckDigitMismatch(ValueError):
    """Shaped like a code, but the check character does not match: a typo."""


def _times_two(value: int) -> int:
    value <<= 1
    if value & 0b100000:
        value ^= 0b100101  # x^5 + x^2 + 1
    return value


def _fold(chars: str) -> int:
    interim = 0
    for char in chars:
        interim = _times_two(interim) ^ _INDEX[char]
    return interim


def check_character(body: str) -> str:
    # The check character c makes 2·interim + c = 0, i.e. c = 2·interim (char. 2).
    return ALPHABET[_times_two(_fold(body))]


def is_valid(code: str) -> bool:
    return (
        len(code) == CODE_LENGTH
        and all(char in _INDEX for char in code)
        and _fold(code) == 0
    )


def generate() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)


def normalise(raw: str) -> str:
    """Upper-case, without spaces, dashes, dots or underscores; a QR payload is
    unwrapped to its code."""
    text = (raw or "").strip()
    if text.upper().startswith(QR_PREFIX):
        text = text[len(QR_PREFIX):]
    return _IGNORED.sub("", text).upper()


def parse(raw: str) -> str:
    """The normalised code in ``raw`` (typed, printed or scanned), or an error."""
    code = normalise(raw)
    if len(code) != CODE_LENGTH or any(char not in _INDEX for char in code):
        raise MalformedCode(_("This is not a card code."))
    if _fold(code) != 0:
        raise CheckDigitMismatch(_("This code contains a typo; please check it."))
    return code


def try_parse(raw: str) -> Optional[str]:
    try:
        return parse(raw)
    except ValueError:
        return None


def formatted(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def qr_payload(code: str) -> str:
    return QR_PREFIX + code


def masked(code: str) -> str:
    return "••••-••••-••••-" + code[-4:]


def normalise_chip_uid(raw: str) -> str:
    """Chip UIDs are hex bytes; readers print them as ``04:A2:...``, ``04 a2`` or ``04A2``."""
    uid = re.sub(r"[\s:\-]+", "", (raw or "")).upper()
    if not uid or len(uid) > 40 or len(uid) % 2 or not re.fullmatch(r"[0-9A-F]+", uid):
        raise MalformedCode(_("A chip UID is 1 to 20 bytes in hex."))
    return uid
