"""E-mail to a plan member when a reward of the merchant's catalogue becomes reachable:
the points booked at the merchant crossed the reward's points with this booking. Sent
after the booking commits (a rolled-back booking sends nothing), by a Celery task."""
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from saleor.celeryconf import app

from ..models import Customer, Merchant, MerchantReward, PlanMember


def after_credit(merchant: Merchant, customer, before: int, after: int):
    if after <= before or not merchant.plan_enabled or customer is None or not customer.user_id:
        return
    if not PlanMember.objects.filter(merchant=merchant, customer=customer).exists():
        return
    reached = list(
        merchant.rewards.filter(is_active=True, points__gt=before, points__lte=after).values_list("pk", flat=True)
    )
    if reached:
        merchant_id, customer_id = merchant.pk, customer.pk
        transaction.on_commit(lambda: send_reward_reachable_task.delay(merchant_id, customer_id, reached, after))


@app.task
def send_reward_reachable_task(merchant_id, customer_id, reward_ids, points):
    merchant = Merchant.objects.filter(pk=merchant_id).first()
    customer = Customer.objects.select_related("user").filter(pk=customer_id).first()
    if merchant is None or customer is None or not customer.user_id:
        return 0
    rewards = MerchantReward.objects.filter(pk__in=reward_ids).order_by("points")
    lines = "\n".join(f"- {r.name} ({r.points})" for r in rewards)
    subject = _("A reward is within reach at %(merchant)s") % {"merchant": merchant.name}
    body = _(
        "You have %(points)s points with %(merchant)s's card. You can now redeem:\n%(rewards)s"
    ) % {"points": points, "merchant": merchant.name, "rewards": lines}
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [customer.user.email])
