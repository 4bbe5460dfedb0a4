"""Compatibility patches that let Saleor 2.10.1 (built for Python 3.8) run on Python 3.11.

Every patch the host needs lives here, applied once from ``example_shop.settings``.
None of them changes Saleor's files; each one is small and says why it exists.
"""
import datetime


def _patch_postgresql_utc_tzinfo_factory():
    # psycopg2 2.9 (the first release that initialises on Python 3.11) hands the tzinfo
    # factory a ``timedelta`` instead of the integer minutes that Django 3.0's check
    # ``if offset != 0`` expects, so every timestamp read fails with "database connection
    # isn't set to UTC". Accept a zero offset in either form.
    from django.db.backends.postgresql import base, utils
    from django.utils.timezone import utc

    def utc_tzinfo_factory(offset):
        if offset not in (0, datetime.timedelta(0)):
            raise AssertionError("database connection isn't set to UTC")
        return utc

    utils.utc_tzinfo_factory = utc_tzinfo_factory
    base.utc_tzinfo_factory = utc_tzinfo_factory


def _patch_pillow_antialias():
    # Pillow 10 removed ``Image.ANTIALIAS``; django-versatileimagefield 2.0 (pinned
    # because newer releases need Django >= 3.2) still uses it for every thumbnail.
    from PIL import Image

    if not hasattr(Image, "ANTIALIAS"):
        Image.ANTIALIAS = Image.LANCZOS


def apply():
    _patch_postgresql_utc_tzinfo_factory()
    _patch_pillow_antialias()
