"""Staff manage badges and rewards [MANAGE_LOYALTY]: CRUD with validation, icons,
grants and revocations with a note; the staff and till views show badges and tier."""
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saleor_customer_value.models import Badge, BadgeEvent, Reward

from ..conftest import ApiClient, global_id, grant
from .conftest import errors, events, give_points, held, user_id

BADGE_CREATE = """
mutation($input: BadgeInput!) {
  badgeCreate(input: $input) {
    badge { id title titleDe localizedTitle minPoints maxPoints isTier earnMultiplier topUpBonusTiers
            discount { kind value scope } unlockVoucher { kind value validDays } icon { url } thumb: icon(size: 64) { url } }
    customerValueErrors { field code message }
  }
}
"""
GRANT = """
mutation($customer: ID!, $badge: ID!, $note: String!) {
  badgeGrant(customerId: $customer, badgeId: $badge, note: $note) {
    customerBadge { status manual badge { title } }
    customerValueErrors { field code message }
  }
}
"""
REVOKE = GRANT.replace("badgeGrant", "badgeRevoke")
CUSTOMER_BADGES = """
query($customer: ID!) {
  customerBadges(customerId: $customer) {
    badges { status manual badge { title } }
    tier { current { badge { title } } measuredValue pointsToNextTier }
    history { kind cause note }
  }
}
"""
REWARD_CREATE = """
mutation($input: RewardInput!) {
  rewardCreate(input: $input) {
    reward { id name points kind amount { amount currency } stock }
    customerValueErrors { field code message }
  }
}
"""


def create_badge(api, **fields):
    return api.execute(BADGE_CREATE, {"input": fields})["badgeCreate"]


def test_staff_define_a_tier_with_perks(badge_staff):
    data = create_badge(
        badge_staff, title="Gold", titleDe="Gold", minPoints=5000, isTier=True, earnMultiplier="1.5",
        topUpBonusTiers="1:10", discountKind="PERCENT", discountValue="5", voucherKind="PERCENT",
        voucherValue="15", voucherValidDays=90,
    )

    assert data["customerValueErrors"] == []
    badge = data["badge"]
    assert (badge["minPoints"], badge["maxPoints"], badge["isTier"], badge["earnMultiplier"]) == (5000, None, True, 1.5)
    assert badge["discount"] == {"kind": "PERCENT", "value": 5.0, "scope": "ALL"}
    assert badge["unlockVoucher"] == {"kind": "PERCENT", "value": 15.0, "validDays": 90}


def test_overlapping_tiers_are_refused(badge_staff, ladder):
    data = create_badge(badge_staff, title="Platinum", minPoints=4000, isTier=True)

    assert errors(data) == [("minPoints", "TIER_RANGE_OVERLAP")]
    assert not Badge.objects.filter(title="Platinum").exists()
    # a plain badge may overlap
    assert create_badge(badge_staff, title="Fan", minPoints=4000)["customerValueErrors"] == []


@pytest.mark.parametrize(
    "value, code",
    [
        # malformed numbers are refused by the central input check
        ("1E+28", "INVALID_AMOUNT"),
        ("sNaN", "INVALID_AMOUNT"),
        ("1e309", "INVALID_AMOUNT"),
        ("NaN", "INVALID_AMOUNT"),
        # well-formed numbers outside the multiplier's rules by the badge service
        ("-1", "INVALID"),
        ("0.5", "INVALID"),
        ("1.234", "INVALID"),
    ],
)
def test_hostile_multipliers_are_typed_errors(badge_staff, value, code):
    data = create_badge(badge_staff, title="X", minPoints=1, earnMultiplier=value)

    assert errors(data) == [("earnMultiplier", code)]
    assert Badge.objects.count() == 0


@pytest.mark.parametrize(
    "fields, field",
    [
        (dict(title=""), "title"),
        (dict(title="a\x00b"), "title"),
        (dict(title="X", minPoints=500, maxPoints=100), "maxPoints"),
        (dict(title="X", isTier=True), "minPoints"),
        (dict(title="X", discountKind="PERCENT", discountValue="150"), "discountValue"),
        (dict(title="X", topUpBonusTiers="fifty"), "topUpBonusTiers"),
        (dict(title="X", minPoints=-5), "minPoints"),
    ],
)
def test_bad_badge_input(badge_staff, fields, field):
    data = create_badge(badge_staff, **fields)

    assert [e[0] for e in errors(data)] == [field]
    assert Badge.objects.count() == 0


def test_badge_mutations_need_manage_loyalty(staff_api, customer_api, customer_user, ladder):
    for api in (staff_api, customer_api):
        assert errors(create_badge(api, title="X")) == [(None, "PERMISSION_DENIED")]
        data = api.execute(GRANT, {"customer": user_id(customer_user), "badge": global_id("Badge", ladder["gold"].pk), "note": "vip"})
        assert errors(data["badgeGrant"]) == [(None, "PERMISSION_DENIED")]
    assert held(customer_user) == []


def test_an_icon_is_uploaded_like_saleors_product_images(badge_staff, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "gold").save(buffer, format="PNG")
    upload = SimpleUploadedFile("gold.png", buffer.getvalue(), content_type="image/png")
    operations = {"query": BADGE_CREATE, "variables": {"input": {"title": "Gold", "icon": "icon"}}}

    response = badge_staff.client.post(
        "/graphql/",
        data={"operations": json.dumps(operations), "map": json.dumps({"icon": ["variables.input.icon"]}), "icon": upload},
        **badge_staff._headers(),
    )

    data = json.loads(response.content)["data"]["badgeCreate"]
    assert data["customerValueErrors"] == []
    assert data["badge"]["icon"]["url"].endswith(".png")
    assert data["badge"]["thumb"]["url"].endswith("_thumb128.png")
    badge = Badge.objects.get(title="Gold")
    with Image.open(tmp_path / badge.icon.name.replace(".png", "_thumb128.png")) as thumb:
        assert thumb.size == (128, 128)


def test_a_text_file_is_not_an_icon(badge_staff, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile("gold.png", b"not an image", content_type="image/png")
    operations = {"query": BADGE_CREATE, "variables": {"input": {"title": "Gold", "icon": "icon"}}}

    response = badge_staff.client.post(
        "/graphql/",
        data={"operations": json.dumps(operations), "map": json.dumps({"icon": ["variables.input.icon"]}), "icon": upload},
        **badge_staff._headers(),
    )

    data = json.loads(response.content)["data"]["badgeCreate"]
    assert errors(data) == [("icon", "INVALID")]
    assert Badge.objects.count() == 0


def test_grant_and_revoke_by_hand_with_a_note(badge_staff, customer_user, ladder):
    give_points(customer_user, 600)  # Silver
    gold = global_id("Badge", ladder["gold"].pk)

    # a note is mandatory
    refused = badge_staff.execute(GRANT, {"customer": user_id(customer_user), "badge": gold, "note": " "})["badgeGrant"]
    assert errors(refused) == [("note", "REQUIRED")]

    # granting Gold replaces Silver; it is not lost when the points do not reach it
    granted = badge_staff.execute(GRANT, {"customer": user_id(customer_user), "badge": gold, "note": "VIP guest"})["badgeGrant"]
    assert granted["customerBadge"] == {"status": "ACTIVE", "manual": True, "badge": {"title": "Gold"}}
    give_points(customer_user, 10)
    assert held(customer_user) == [("Gold", "active"), ("Silver", "lost")]

    # revoking takes it away, with the note in the history
    revoked = badge_staff.execute(REVOKE, {"customer": user_id(customer_user), "badge": gold, "note": "left the club"})
    assert revoked["badgeRevoke"]["customerBadge"]["status"] == "REVOKED"
    view = badge_staff.execute(CUSTOMER_BADGES, {"customer": user_id(customer_user)})["customerBadges"]
    assert [(h["kind"], h["note"]) for h in view["history"]][:2] == [("REVOKED", "left the club"), ("GRANTED", "VIP guest")]
    # revoking what is not held is NOT_FOUND
    again = badge_staff.execute(REVOKE, {"customer": user_id(customer_user), "badge": gold, "note": "x"})["badgeRevoke"]
    assert errors(again) == [("badgeId", "NOT_FOUND")]


@pytest.mark.parametrize("bad", ["", "junk", "\x00", global_id("Reward", 1)])
def test_grant_with_bad_ids(badge_staff, customer_user, ladder, bad):
    data = badge_staff.execute(GRANT, {"customer": user_id(customer_user), "badge": bad, "note": "x"})["badgeGrant"]

    assert [e[0] for e in errors(data)] == ["badgeId"]
    assert BadgeEvent.objects.count() == 0


def test_staff_and_the_till_see_badges_and_tier(badge_staff, app, customer_user, ladder):
    from ..pos.conftest import till  # noqa: F401

    give_points(customer_user, 700)
    view = badge_staff.execute(CUSTOMER_BADGES, {"customer": user_id(customer_user)})["customerBadges"]
    assert view["tier"] == {"current": {"badge": {"title": "Silver"}}, "measuredValue": 700, "pointsToNextTier": 4300}

    grant(app, "use_pos")
    pos = ApiClient(app_token=app.tokens.first().auth_token)
    found = pos.execute(
        '{ posCustomerLookup(email: "erika@example.com") { customers { badges { tier { current { badge { title } } pointsToNextTier } } } } }'
    )["posCustomerLookup"]["customers"]
    assert found[0]["badges"]["tier"] == {"current": {"badge": {"title": "Silver"}}, "pointsToNextTier": 4300}


def test_staff_create_rewards_with_validation(badge_staff, variant):
    ok = badge_staff.execute(REWARD_CREATE, {"input": {"name": "5.00 credit", "points": 500, "kind": "WALLET_CREDIT", "amount": "5.00", "currency": "EUR", "stock": 10}})
    assert ok["rewardCreate"]["reward"]["amount"] == {"amount": 5.0, "currency": "EUR"}

    for bad, field in [
        ({"amount": "1E+28"}, "amount"),
        ({"amount": "sNaN"}, "amount"),
        ({"amount": "1e309"}, "amount"),
        ({"amount": "5.001"}, "amount"),
        ({"points": 0}, "points"),
        ({"kind": "FREE_PRODUCT", "amount": None}, "variantId"),
        ({"name": "a\x00"}, "name"),
        ({"currency": "XX\x00"}, "currency"),
    ]:
        data = {"name": "bad", "points": 500, "kind": "WALLET_CREDIT", "amount": "5.00", **bad}
        result = badge_staff.execute(REWARD_CREATE, {"input": data})["rewardCreate"]
        assert [e[0] for e in errors(result)] == [field], (bad, result)
    assert Reward.objects.count() == 1


def test_reward_mutations_need_manage_loyalty(staff_api, customer_api):
    for api in (staff_api, customer_api):
        data = api.execute(REWARD_CREATE, {"input": {"name": "x", "points": 5, "kind": "VOUCHER", "amount": "5"}})
        assert errors(data["rewardCreate"]) == [(None, "PERMISSION_DENIED")]


def test_history_is_kept_for_each_unlock_and_loss(customer_user, ladder):
    give_points(customer_user, 150)
    give_points(customer_user, 400)

    assert events(customer_user) == [
        ("Bronze", "unlocked", "posting"),
        ("Bronze", "lost", "posting"),
        ("Silver", "unlocked", "posting"),
    ]


BADGE_UPDATE = """
mutation($id: ID!, $input: BadgeInput!) {
  badgeUpdate(id: $id, input: $input) {
    badge { title minPoints maxPoints isActive discount { kind value scope products { name } } }
    customerValueErrors { field code message }
  }
}
"""
BADGE_DELETE = """
mutation($id: ID!) { badgeDelete(id: $id) { badge { isActive } customerValueErrors { field code } } }
"""
PROGRAM_UPDATE = """
mutation($input: BadgeProgramInput!) {
  badgeProgramUpdate(input: $input) {
    badgeProgram { measure windowDays lossRule graceDays }
    customerValueErrors { field code message }
  }
}
"""


def test_staff_update_and_retire_a_badge(badge_staff, ladder, variant):
    silver = global_id("Badge", ladder["silver"].pk)

    data = badge_staff.execute(
        BADGE_UPDATE,
        {"id": silver, "input": {"discountKind": "FIXED", "discountValue": "3.00", "discountScope": "PRODUCTS",
                                 "discountProducts": [global_id("Product", variant.product.pk)]}},
    )["badgeUpdate"]
    assert data["customerValueErrors"] == []
    assert data["badge"]["discount"] == {"kind": "FIXED", "value": 3.0, "scope": "PRODUCTS", "products": [{"name": "T-Shirt"}]}
    assert (data["badge"]["minPoints"], data["badge"]["maxPoints"]) == (500, 5000)

    # moving Silver into Gold's range is refused
    clash = badge_staff.execute(BADGE_UPDATE, {"id": silver, "input": {"maxPoints": 6000}})["badgeUpdate"]
    assert errors(clash) == [("minPoints", "TIER_RANGE_OVERLAP")]

    retired = badge_staff.execute(BADGE_DELETE, {"id": silver})["badgeDelete"]
    assert retired["badge"] == {"isActive": False}
    public = badge_staff.execute("{ badges { title } }")["badges"]
    assert [b["title"] for b in public] == ["Bronze", "Gold"]


def test_staff_change_how_badges_are_measured(badge_staff):
    data = badge_staff.execute(PROGRAM_UPDATE, {"input": {"measure": "WINDOW", "windowDays": 365, "lossRule": "GRACE", "graceDays": 14}})
    assert data["badgeProgramUpdate"]["badgeProgram"] == {"measure": "WINDOW", "windowDays": 365, "lossRule": "GRACE", "graceDays": 14}

    bad = badge_staff.execute(PROGRAM_UPDATE, {"input": {"windowDays": 0}})["badgeProgramUpdate"]
    assert errors(bad) == [("windowDays", "INVALID")]
    assert badge_staff.execute("{ badgeProgram { windowDays } }")["badgeProgram"] == {"windowDays": 365}


def test_a_fixed_product_discount_only_on_that_product(customer_api, customer_user, ladder, variant, warehouse, shipping_method):
    from ..conftest import make_variant
    from ..loyalty.flow import ready_checkout, total

    silver = ladder["silver"]
    silver.discount_kind, silver.discount_value, silver.discount_scope = "fixed", 3, "products"
    silver.save()
    silver.discount_products.set([variant.product])
    other = make_variant(warehouse, name="Cap", price="10.00")
    give_points(customer_user, 600)

    checkout = ready_checkout(customer_api, other, shipping_method, quantity=1)
    assert total(customer_api, checkout)["gross"]["amount"] == 15.0

    from ..wallet.test_topups import LINES_ADD

    customer_api.execute(LINES_ADD, {"id": checkout["id"], "variant": global_id("ProductVariant", variant.pk)})
    assert total(customer_api, checkout)["gross"]["amount"] == 10.0 + 20.0 + 5.0 - 3.0
