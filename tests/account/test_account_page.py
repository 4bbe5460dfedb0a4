"""The shopper's customer area page (/account/customer-value/): served by the shop like the
staff console, with the shop's settings written into it and a framing policy."""
import json
import re

import pytest

from saleor_customer_value.dashboard import views


@pytest.fixture
def build(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "staff.html").write_text("<!doctype html><title>console</title><!--cv-config-->")
    (tmp_path / "account.html").write_text("<!doctype html><title>account</title><!--cv-config-->")
    (tmp_path / "assets" / "account-1.js").write_text("console.log(1)")
    monkeypatch.setattr(views, "BUILD_DIR", str(tmp_path))
    return tmp_path


def config_of(response):
    match = re.search(rb'<script id="cv-config" type="application/json">(.*?)</script>', response.content)
    return json.loads(match.group(1)) if match else None


def test_the_account_page_is_served_at_its_own_path_with_the_shops_settings(client, build, settings):
    # given a shop with a storefront checkout page
    settings.CUSTOMER_VALUE_STOREFRONT_CHECKOUT_URL = "https://shop.example/checkout/{token}"

    # when a shopper opens the customer area (and a deep link into it)
    page = client.get("/account/customer-value/")
    deep_link = client.get("/account/customer-value/card")

    # then the account page answers, uncached, carrying the checkout URL
    assert page.status_code == 200 and b"<title>account</title>" in page.content
    assert deep_link.status_code == 200 and b"<title>account</title>" in deep_link.content
    assert page["Cache-Control"] == "no-cache"
    assert config_of(page) == {"checkoutUrl": "https://shop.example/checkout/{token}", "passwordResetUrl": ""}
    # and the staff console gets no shop config
    assert config_of(client.get("/dashboard/customer-value/")) is None


def test_a_setting_cannot_break_out_of_the_config_script(client, build, settings):
    settings.CUSTOMER_VALUE_STOREFRONT_CHECKOUT_URL = "https://x/</script><script>alert(1)</script>"

    page = client.get("/account/customer-value/")

    assert b"</script><script>alert" not in page.content
    assert config_of(page)["checkoutUrl"] == "https://x/</script><script>alert(1)</script>"


def test_without_allowed_origins_nobody_may_frame_the_pages(client, build, settings):
    settings.CUSTOMER_VALUE_ACCOUNT_FRAME_ANCESTORS = []

    for path in ("/account/customer-value/", "/dashboard/customer-value/"):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY"
        assert response["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_the_storefront_origins_may_frame_the_customer_area_but_never_the_console(client, build, settings):
    settings.CUSTOMER_VALUE_ACCOUNT_FRAME_ANCESTORS = ["https://shop.example", "https://www.shop.example"]

    account = client.get("/account/customer-value/")
    console = client.get("/dashboard/customer-value/")

    assert account["Content-Security-Policy"] == "frame-ancestors 'self' https://shop.example https://www.shop.example"
    assert not account.has_header("X-Frame-Options")
    assert console["X-Frame-Options"] == "DENY"
    assert console["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_account_assets_are_served_and_paths_cannot_leave_the_build(client, build):
    asset = client.get("/account/customer-value/assets/account-1.js")
    escape = client.get("/account/customer-value/assets/../../account.html")

    assert asset.status_code == 200 and "immutable" in asset["Cache-Control"]
    assert escape.status_code == 404
