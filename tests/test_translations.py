"""German everywhere a person reads: every marked string has a German translation, the
committed .mo is the compiled .po, and the API answers in the request's language (or
the customer's stored one)."""
import gettext
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from graphql_jwt.shortcuts import get_token

from saleor_customer_value.notifications import defaults

from .conftest import API_URL, global_id, grant

PACKAGE = Path(__file__).resolve().parent.parent / "saleor_customer_value"
CATALOGUE = PACKAGE / "locale" / "de" / "LC_MESSAGES"


def parse_po(path: Path):
    """{msgid or (msgid, msgid_plural): msgstr or [msgstr...]} of a .po file (no
    fuzzy entries: a fuzzy translation is treated as missing)."""
    import ast

    entries, current, field, fuzzy = {}, {}, None, False

    def flush():
        nonlocal current, fuzzy
        if "msgid" in current and current["msgid"] != "":
            key = (current["msgid"], current["msgid_plural"]) if "msgid_plural" in current else current["msgid"]
            if "msgid_plural" in current:
                value = [current.get(f"msgstr[{i}]", "") for i in range(2)]
            else:
                value = current.get("msgstr", "")
            entries[key] = None if fuzzy else value
        current, fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            flush()
            field = None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, _space, rest = line.partition(" ")
            current[field] = ast.literal_eval(rest)
    return entries


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_marked_string_has_a_german_translation(tmp_path, settings):
    # given the plugin's source copied next to an empty catalogue
    copy = tmp_path / "saleor_customer_value"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "locale", "migrations"))
    (copy / "locale").mkdir()

    # when makemessages extracts what is marked today
    import os

    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["de"], no_location=True, extensions=["html", "txt", "py"],
                     ignore_patterns=["static/*"], verbosity=0)
    finally:
        os.chdir(cwd)
    marked = set(parse_po(copy / "locale" / "de" / "LC_MESSAGES" / "django.po"))

    # then the committed catalogue translates every one of them
    committed = parse_po(CATALOGUE / "django.po")
    missing = sorted(str(m) for m in marked if not committed.get(m) or not all(committed[m]))
    assert missing == [], "run bin/messages and translate:\n" + "\n".join(missing)
    assert len(marked) > 250


def test_the_committed_mo_is_the_compiled_po():
    po = parse_po(CATALOGUE / "django.po")
    with open(CATALOGUE / "django.mo", "rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for key, value in po.items():
        if isinstance(key, tuple):
            assert [mo.ngettext(key[0], key[1], n) for n in (1, 2)] == value, key
        else:
            assert mo.gettext(key) == value, key
    assert len(mo._catalog) - 1 >= len(po)  # the header is one entry


def test_every_notification_has_german_and_english_defaults():
    from saleor_customer_value.models import NotificationEvent

    events = {code for code, _label in NotificationEvent.CHOICES}
    assert set(defaults.DEFAULTS["de"]) == events == set(defaults.DEFAULTS["en"])


BOOK_WITHOUT_NOTE = """
mutation($customer: ID!) {
  loyaltyPointsAdd(input: {customerId: $customer, points: 5, note: " "}) {
    customerValueErrors { field code message }
  }
}
"""


def _post(user, query, variables, **headers):
    response = Client().post(
        API_URL, data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json", HTTP_AUTHORIZATION=f"JWT {get_token(user)}", **headers,
    )
    return response, json.loads(response.content)["data"]


def test_mutation_errors_follow_accept_language(staff_user, customer_user):
    grant(staff_user, "manage_loyalty")
    variables = {"customer": global_id("User", customer_user.pk)}

    response, german = _post(staff_user, BOOK_WITHOUT_NOTE, variables, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    _response, english = _post(staff_user, BOOK_WITHOUT_NOTE, variables)

    assert german["loyaltyPointsAdd"]["customerValueErrors"] == [{
        "field": "note", "code": "INVALID",
        "message": "Eine interne Notiz ist erforderlich: Geben Sie an, warum gebucht wird.",
    }]
    assert response["Content-Language"] == "de"
    assert english["loyaltyPointsAdd"]["customerValueErrors"][0]["message"] == (
        "An internal note is required: say why the booking is made."
    )


PREFERENCES = """
mutation($language: String) {
  myNotificationPreferencesUpdate(language: $language) {
    preferences { language }
    customerValueErrors { field code message }
  }
}
"""


def test_without_accept_language_the_customers_stored_language_answers(customer_user):
    _response, stored = _post(customer_user, PREFERENCES, {"language": "de"})
    assert stored["myNotificationPreferencesUpdate"]["preferences"] == {"language": "de"}

    _response, refused = _post(customer_user, PREFERENCES, {"language": "xx"})
    assert refused["myNotificationPreferencesUpdate"]["customerValueErrors"] == [{
        "field": "language", "code": "INVALID", "message": "'xx' ist keine Sprache des Shops.",
    }]
    # an explicit header still wins
    _response, english = _post(customer_user, PREFERENCES, {"language": "xx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english["myNotificationPreferencesUpdate"]["customerValueErrors"][0]["message"] == (
        "'xx' is not a language of the shop."
    )


POINTS_HISTORY = """
query($customer: ID!) {
  customerPoints(customerId: $customer) {
    movements(first: 1) { edges { node { reason reasonLabel } } }
  }
}
"""


def test_reason_labels_follow_the_request_language(staff_user, customer_user):
    from .loyalty.conftest import configure, give_points

    configure(enabled=True)
    give_points(customer_user, 30)
    grant(staff_user, "manage_loyalty")
    variables = {"customer": global_id("User", customer_user.pk)}

    _response, german = _post(staff_user, POINTS_HISTORY, variables, HTTP_ACCEPT_LANGUAGE="de")
    _response, english = _post(staff_user, POINTS_HISTORY, variables, HTTP_ACCEPT_LANGUAGE="en")

    node = lambda data: data["customerPoints"]["movements"]["edges"][0]["node"]  # noqa: E731
    assert node(german) == {"reason": "POINTS_ADJUSTMENT", "reasonLabel": "Manuelle Punktebuchung"}
    assert node(english)["reasonLabel"] == "Manual points booking"
