"""Customer e-mails from committed events, through the real outbox, the real e-mail
backend (Django's locmem in tests) and the GraphQL API."""
from datetime import timedelta

import pytest
from django.contrib.sites.models import Site
from django.utils import timezone

from saleor_customer_value.models import (
    Notification,
    NotificationEvent,
    NotificationStatus,
    NotificationTemplate,
)
from saleor_customer_value.notifications import expiry, service
from saleor_customer_value.notifications import settings as notification_settings
from saleor_customer_value.webhooks import dispatch

from ..conftest import ApiClient, global_id, grant
from ..loyalty.conftest import give_points, loyalty_staff, program  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PREFERENCES = """
mutation($language: String, $marketing: Boolean, $transactional: Boolean) {
  myNotificationPreferencesUpdate(
    language: $language, marketingOptOut: $marketing, transactionalOptOut: $transactional
  ) {
    preferences { language effectiveLanguage marketingOptOut transactionalOptOut }
    customerValueErrors { field code message }
  }
}
"""
ADD_POINTS = """
mutation($input: LoyaltyPointsBookingInput!) {
  loyaltyPointsAdd(input: $input) {
    customerValueErrors { field code message }
  }
}
"""
TEMPLATE_UPDATE = """
mutation($event: CustomerValueNotificationEventEnum!, $language: String!,
         $input: NotificationTemplateInput!) {
  customerValueNotificationTemplateUpdate(event: $event, language: $language, input: $input) {
    template { event language subject bodyText isDefault }
    customerValueErrors { field code message line }
  }
}
"""
PREVIEW = """
query($event: CustomerValueNotificationEventEnum!, $language: String!, $customer: ID!,
      $subject: String, $text: String) {
  customerValueNotificationPreview(event: $event, language: $language, customerId: $customer,
                                   subject: $subject, bodyText: $text) {
    subject bodyText bodyHtml language
    customerValueErrors { field code message line }
  }
}
"""


def set_preferences(user, **variables):
    data = ApiClient(user=user).execute(PREFERENCES, variables)["myNotificationPreferencesUpdate"]
    assert data["customerValueErrors"] == []
    return data["preferences"]


def add_points(api, user, points, customer_note=None):
    data = api.execute(ADD_POINTS, {"input": {
        "customerId": global_id("User", user.pk), "points": points,
        "note": "Goodwill for a late delivery", "customerNote": customer_note,
    }})["loyaltyPointsAdd"]
    assert data["customerValueErrors"] == []


def run_notifications():
    """What Celery beat does: fan the outbox out (webhooks + notifications), send."""
    while dispatch.fan_out():
        pass
    return service.send_due()


@pytest.fixture
def shop_site(db):
    site = Site.objects.get_current()
    site.name, site.domain = "Mustershop", "shop.example"
    site.save()
    return site


@pytest.fixture
def notification_staff(staff_user):
    grant(staff_user, "manage_notifications")
    return ApiClient(user=staff_user)


def test_points_credit_sends_one_german_email(
    loyalty_staff, customer_user, program, shop_site, mailoutbox
):
    # given a customer who reads German
    assert set_preferences(customer_user, language="de-DE")["effectiveLanguage"] == "de"

    # when staff credit 300 points and the notification jobs run (twice)
    add_points(loyalty_staff, customer_user, 300, customer_note="Entschuldigung für die Verspätung")
    run_notifications()
    run_notifications()

    # then exactly one German e-mail with the right variables went out
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["erika@example.com"]
    assert mail.subject == "300 Punkte für Sie bei Mustershop"
    assert "Guten Tag Erika M," in mail.body
    assert "wir haben Ihnen 300 Punkte gutgeschrieben (Manuelle Punktebuchung)." in mail.body
    assert "Entschuldigung für die Verspätung" in mail.body
    assert "Ihr Punktestand: 300 Punkte." in mail.body
    assert "http://shop.example/account/customer-value/" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and "<p>Guten Tag Erika M,</p>" in html
    (record,) = Notification.objects.filter(event=NotificationEvent.POINTS_CREDITED)
    assert (record.status, record.language) == (NotificationStatus.SENT, "de")


def test_customer_without_preference_gets_the_shops_language(
    loyalty_staff, customer_user, program, shop_site, mailoutbox
):
    add_points(loyalty_staff, customer_user, 1250)
    run_notifications()

    (mail,) = mailoutbox
    assert mail.subject == "1,250 points for you at Mustershop"
    assert "Your points balance: 1,250 points." in mail.body


def test_rolled_back_booking_notifies_nobody(loyalty_staff, customer_user, program, mailoutbox):
    # a refused booking (note missing) rolls back: no event, no e-mail
    data = loyalty_staff.execute(ADD_POINTS, {"input": {
        "customerId": global_id("User", customer_user.pk), "points": 5, "note": " "}})
    assert data["loyaltyPointsAdd"]["customerValueErrors"][0]["field"] == "note"
    run_notifications()
    assert mailoutbox == [] and not Notification.objects.exists()


def test_lot_expiring_in_7_days_is_reminded_once(customer_user, program, shop_site, mailoutbox):
    # given German reminders 7 days ahead, a lot expiring in 7 days and one in 30
    set_preferences(customer_user, language="de")
    notification_settings.update(expiry_reminder_days=7)
    give_points(customer_user, 400, expiry_days=7)
    give_points(customer_user, 100, expiry_days=30)
    run_notifications()
    mailoutbox.clear()  # the two "points credited" e-mails

    # when the reminder task runs twice (beat fires twice, or a retry)
    expiry.remind()
    service.send_due()
    expiry.remind()
    service.send_due()

    # then one reminder, about the 400 points of the first lot
    assert len(mailoutbox) == 1
    expires = timezone.localdate() + timedelta(days=7)
    assert mailoutbox[0].subject == f"400 Punkte verfallen am {expires.day}. " + {
        1: "Januar", 2: "Februar", 3: "März", 4: "April", 5: "Mai", 6: "Juni", 7: "Juli",
        8: "August", 9: "September", 10: "Oktober", 11: "November", 12: "Dezember",
    }[expires.month] + f" {expires.year}"
    assert Notification.objects.filter(event=NotificationEvent.POINTS_EXPIRING).count() == 1


def test_marketing_opt_out_stops_reminders_not_bookings(
    loyalty_staff, customer_user, program, shop_site, mailoutbox
):
    set_preferences(customer_user, marketing=True)
    give_points(customer_user, 400, expiry_days=3)
    expiry.remind()
    run_notifications()

    # the booking confirmation (transactional) went out, the reminder (marketing) not
    assert [m.subject for m in mailoutbox] == ["400 points for you at Mustershop"]
    reminder = Notification.objects.get(event=NotificationEvent.POINTS_EXPIRING)
    assert reminder.status == NotificationStatus.SKIPPED
    assert reminder.detail == "the customer opted out of marketing e-mails"


def test_transactional_opt_out_stops_booking_emails(
    loyalty_staff, customer_user, program, shop_site, mailoutbox
):
    set_preferences(customer_user, transactional=True)
    add_points(loyalty_staff, customer_user, 10)
    run_notifications()
    assert mailoutbox == []
    assert Notification.objects.get().status == NotificationStatus.SKIPPED


def test_invalid_template_is_refused_with_its_line(notification_staff, customer_user):
    data = notification_staff.execute(TEMPLATE_UPDATE, {
        "event": "POINTS_CREDITED", "language": "de",
        "input": {"subject": "{{ points }} Punkte", "bodyText": "Hallo,\n\n{% if points %}\nohne Ende"},
    })["customerValueNotificationTemplateUpdate"]

    assert data["template"] is None
    (err,) = data["customerValueErrors"]
    assert (err["field"], err["code"], err["line"]) == ("bodyText", "INVALID_TEMPLATE", 3)
    assert err["message"].startswith("Line 3: ")
    assert not NotificationTemplate.objects.exists()

    html = notification_staff.execute(TEMPLATE_UPDATE, {
        "event": "POINTS_CREDITED", "language": "de",
        "input": {"subject": "x", "bodyText": "y", "bodyHtml": "<p>\n{{ points|nosuchfilter }}</p>"},
    })["customerValueNotificationTemplateUpdate"]
    assert [(e["field"], e["line"]) for e in html["customerValueErrors"]] == [("bodyHtml", 2)]


def test_staff_template_is_used_for_the_email(
    notification_staff, loyalty_staff, customer_user, program, shop_site, mailoutbox
):
    data = notification_staff.execute(TEMPLATE_UPDATE, {
        "event": "POINTS_CREDITED", "language": "en",
        "input": {"subject": "+{{ points }} for {{ customer_name }}", "bodyText": "Now {{ points_balance }}."},
    })["customerValueNotificationTemplateUpdate"]
    assert data["customerValueErrors"] == [] and data["template"]["isDefault"] is False

    add_points(loyalty_staff, customer_user, 42)
    run_notifications()

    (mail,) = mailoutbox
    assert (mail.subject, mail.body, mail.alternatives) == ("+42 for Erika M", "Now 42.", [])


def test_preview_renders_a_template_for_a_chosen_customer(notification_staff, customer_user, program, shop_site):
    give_points(customer_user, 250)
    customer = global_id("User", customer_user.pk)

    stored = notification_staff.execute(PREVIEW, {
        "event": "POINTS_CREDITED", "language": "de", "customer": customer,
    })["customerValueNotificationPreview"]
    assert stored["customerValueErrors"] == []
    assert stored["subject"] == "100 Punkte für Sie bei Mustershop"
    assert "Guten Tag Erika M," in stored["bodyText"]
    assert "Ihr Punktestand: 250 Punkte." in stored["bodyText"]

    draft = notification_staff.execute(PREVIEW, {
        "event": "WALLET_CREDITED", "language": "de", "customer": customer,
        "subject": "Hallo {{ customer_name }}", "text": "{{ amount }} für {{ customer_email }}",
    })["customerValueNotificationPreview"]
    assert (draft["subject"], draft["bodyText"]) == ("Hallo Erika M", "10,00\xa0€ für erika@example.com")

    broken = notification_staff.execute(PREVIEW, {
        "event": "WALLET_CREDITED", "language": "de", "customer": customer, "text": "{% for x %}",
    })["customerValueNotificationPreview"]
    assert [(e["field"], e["code"], e["line"]) for e in broken["customerValueErrors"]] == [
        ("bodyText", "INVALID_TEMPLATE", 1)
    ]


def test_templates_need_manage_notifications(customer_user, staff_api):
    for api in (ApiClient(user=customer_user), staff_api):
        data = api.execute(TEMPLATE_UPDATE, {
            "event": "CARD_BLOCKED", "language": "de", "input": {"subject": "a", "bodyText": "b"},
        })["customerValueNotificationTemplateUpdate"]
        assert [e["code"] for e in data["customerValueErrors"]] == ["PERMISSION_DENIED"]


def test_tier_reached_from_the_badge_event_uses_the_german_title(customer_user, shop_site, mailoutbox):
    # given the badge event as the badge service writes it into the outbox
    from saleor_customer_value.ledger import accounts
    from saleor_customer_value.models import Badge, OutboxEvent
    from saleor_customer_value.notifications import outbox

    set_preferences(customer_user, language="de")
    gold = Badge.objects.create(title="Gold", title_de="Gold-Stufe", is_tier=True, min_points=1000)
    customer = accounts.customer_for_user(customer_user)
    rows = [
        OutboxEvent.objects.create(
            event_id=f"00000000-0000-0000-0000-00000000000{n}", event_type=outbox.BADGE_CHANGED,
            customer_id=customer.pk, created_at=timezone.now(),
            payload={"customerId": customer.pk, "badgeId": gold.pk, "badgeName": "Gold",
                     "isTier": True, "change": change},
        )
        for n, change in ((1, "unlocked"), (2, "lost"))
    ]

    # when it is recorded (twice, as a re-run would) and sent
    outbox.record([r.pk for r in rows])
    outbox.record([r.pk for r in rows])
    service.send_due()

    # then one German "tier reached" e-mail; losing a badge sends nothing
    (mail,) = mailoutbox
    assert mail.subject == "Willkommen in der Stufe Gold-Stufe"
    assert Notification.objects.get().event == NotificationEvent.TIER_REACHED


def test_points_credit_that_reaches_a_reward_announces_it(
    loyalty_staff, customer_user, program, shop_site, mailoutbox
):
    from saleor_customer_value.models import Reward

    Reward.objects.create(name="Kaffeebecher", points=500, kind="wallet_credit", amount="5.00")
    Reward.objects.create(name="Reisetasche", points=5000, kind="wallet_credit", amount="50.00")
    add_points(loyalty_staff, customer_user, 300)
    add_points(loyalty_staff, customer_user, 300)  # 600: the mug is now within reach
    run_notifications()

    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == [
        "300 points for you at Mustershop", "300 points for you at Mustershop",
        "You can now redeem: Kaffeebecher",
    ]


def test_daily_digest_collects_the_days_credits_in_one_email(
    loyalty_staff, customer_user, program, shop_site, mailoutbox
):
    notification_settings.update(points_credited_mode="daily")
    add_points(loyalty_staff, customer_user, 30)
    add_points(loyalty_staff, customer_user, 12)
    run_notifications()
    assert mailoutbox == []  # sent after the day is over

    service.send_due(now=timezone.now() + timedelta(days=1))

    (mail,) = mailoutbox
    assert mail.subject == "You collected 42 points at Mustershop today"
