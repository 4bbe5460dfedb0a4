
from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.models import Customer

SYSTEM = Actor.system("tests")


def new_customer(email="c@example.com"):
    return Customer.objects.create(email=email)


def top_up(wallet, amount, **posting):
    funding = accounts.system_account(SystemAccountCode.FUNDING, wallet.unit)
    return service.transfer(
        funding,
        wallet,
        amount,
        service.Posting(reason=Reason.TOPUP, actor=SYSTEM, **posting),
    )


def spend(wallet, amount, idem=None, **posting):
    sink = accounts.system_account(SystemAccountCode.REDEMPTION, wallet.unit)
    return service.transfer(
        wallet,
        sink,
        amount,
        service.Posting(reason=Reason.CHECKOUT_PAYMENT, actor=SYSTEM, **posting),
        idem,
    )


def earn_points(points_account, amount):
    issued = accounts.system_account(SystemAccountCode.POINTS_ISSUED, "PTS")
    return service.transfer(
        issued,
        points_account,
        amount,
        service.Posting(reason=Reason.POINTS_EARNED, actor=SYSTEM),
    )


def redeem_points(points_account, amount, **kwargs):
    sink = accounts.system_account(SystemAccountCode.POINTS_REDEEMED, "PTS")
    return service.transfer(
        points_account,
        sink,
        amount,
        service.Posting(reason=Reason.POINTS_REDEEMED, actor=SYSTEM, **kwargs),
    )


def refresh(account):
    account.refresh_from_db()
    return account
