from urllib.parse import urlencode

import graphene
from django.core.exceptions import ValidationError
from django.utils import timezone

from ...cards import (
    batches,
    codes,
    digital,
    downloads,
    exports,
    linking,
    print_jobs,
    registration,
    signup,
)
from ...cards.registration import RegistrationError
from ...error_codes import CustomerValueErrorCode as Code
from ...models import Card as CardModel, CardBatchStatus, CardState
from ...permissions import CustomerValuePermissions
from ...security.client import client_ip
from .types import (
    Card,
    CardBatch,
    CardBatchExportFile,
    CardBatchPrintFile,
    CardExportFormatEnum,
    CardFile,
    CardFileFormatEnum,
    CardKindEnum,
    CardLinkDirectionEnum,
    CardSignupLink,
)
from ..core import CustomerValueMutation, error, has_permissions, permission_denied, request_actor
from django.utils.translation import gettext as _

from ...models.cards import state_label


def _login(info, what):
    user = info.context.user
    if not user or not user.is_authenticated:
        raise permission_denied(_("Log in to %(what)s.") % {"what": what})
    return user


class CardBatchCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="Name of the batch (say the print run).")
    quantity = graphene.Int(
        required=True, description=f"Number of cards, 1 to {batches.MAX_QUANTITY}."
    )
    kind = CardKindEnum(required=True)
    expires_at = graphene.Date(description="Expiry date printed on the cards.")


class CardBatchCreate(CustomerValueMutation):
    batch = graphene.Field(CardBatch)

    class Arguments:
        input = CardBatchCreateInput(required=True)

    class Meta:
        description = (
            "Generate a batch of cards in the background; poll `cardBatch(id)` for "
            "`status` and `progress`."
        )
        permissions = (CustomerValuePermissions.MANAGE_CARDS,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        name = (input.get("name") or "").strip()
        if not name or len(name) > 128:
            raise error("name", _("Give the batch a name (1 to 128 characters)."), Code.INVALID)
        quantity = input["quantity"]
        if not 1 <= quantity <= batches.MAX_QUANTITY:
            raise error(
                "quantity", _("Quantity must be 1 to %(MAX_QUANTITY)s.") % {"MAX_QUANTITY": batches.MAX_QUANTITY}, Code.INVALID
            )
        expires_at = input.get("expires_at")
        if expires_at is not None and expires_at <= timezone.localdate():
            raise error("expiresAt", _("The expiry date must be in the future."), Code.INVALID)
        batch = batches.create(
            name,
            quantity,
            input["kind"],
            expires_at,
            user=info.context.user,
            app=getattr(info.context, "app", None),
        )
        batches.schedule(batch)
        return cls(batch=batch)


class CardBatchExport(CustomerValueMutation):
    file = graphene.Field(
        CardBatchExportFile, description="The download; null while the PDF is being built."
    )
    print_file = graphene.Field(
        CardBatchPrintFile, description="PDF only: the build's progress (poll cardBatch.printFile)."
    )

    class Arguments:
        id = graphene.ID(required=True, description="ID of the batch.")
        format = CardExportFormatEnum(required=True)

    class Meta:
        description = (
            "A download link (10 minutes) for a finished batch: CSV (code, QR payload, "
            "expiry), streamed; or the print-ready PDF, which is built in the background "
            "on the first request (file is null until printFile.status is DONE; ask again "
            "then). A failed build is started again."
        )
        permissions = (CustomerValuePermissions.MANAGE_CARDS,)

    @classmethod
    def perform_mutation(cls, _root, info, id, format):
        batch = cls.get_node_or_error(info, id, only_type=CardBatch, field="id")
        if batch.status != CardBatchStatus.DONE:
            raise error(
                "id",
                _("The batch is %(status)s (%(generated)s of %(quantity)s cards).") % {"status": state_label(batch.status), "generated": batch.generated, "quantity": batch.quantity},
                Code.BATCH_NOT_READY,
            )
        job = None
        if format == print_jobs.PDF:
            job = print_jobs.request_pdf(batch)
            if job.status != CardBatchStatus.DONE:
                return cls(file=None, print_file=CardBatchPrintFile.of(job))
        url = downloads.url_for(
            batch, format, user=info.context.user, app=getattr(info.context, "app", None)
        )
        return cls(
            print_file=CardBatchPrintFile.of(job),
            file=CardBatchExportFile(
                url=info.context.build_absolute_uri(url),
                filename=exports.filename(batch, format),
                content_type=exports.CONTENT_TYPES[format],
            )
        )


class CardRegister(CustomerValueMutation):
    card = graphene.Field(Card)

    class Arguments:
        code = graphene.String(
            required=True,
            description="The code printed on the card (dashes and spaces are ignored).",
        )

    class Meta:
        description = (
            "Link a card to the logged-in customer. Value the card held before moves to "
            "the customer's wallet and points. Failed attempts are rate-limited."
        )

    @classmethod
    def perform_mutation(cls, _root, info, code):
        user = _login(info, _("register a card"))
        try:
            card = registration.register(user, code, ip=client_ip(info.context))
        except RegistrationError as exc:
            raise error("code", exc.message, Code(exc.code))
        return cls(card=card)


def _staff_card(mutation, info, card_id) -> CardModel:
    return mutation.get_node_or_error(
        info, card_id, only_type=Card, field="id",
        qs=CardModel.objects.select_for_update(of=("self",)),
    )


class CardBlock(CustomerValueMutation):
    card = graphene.Field(Card)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the card.")
        reason = graphene.String(required=True, description="Why (lost, stolen, fraud...).")

    class Meta:
        description = "Block a card: it can no longer be used or registered. Value stays with the customer."
        permissions = (CustomerValuePermissions.MANAGE_CARDS,)

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        reason = (reason or "").strip()
        if not reason:
            raise error("reason", _("Give a reason for blocking the card."), Code.REQUIRED)
        card = _staff_card(cls, info, id)
        if card.state not in (CardState.GENERATED, CardState.ACTIVE):
            raise error("id", _("The card is %(state)s; it cannot be blocked.") % {"state": state_label(card.state)}, Code.CARD_NOT_USABLE)
        card.state = CardState.BLOCKED
        card.blocked_reason = reason[:255]
        card.blocked_at = timezone.now()
        card.save(update_fields=["state", "blocked_reason", "blocked_at"])
        return cls(card=card)


class CardReplace(CustomerValueMutation):
    card = graphene.Field(Card, description="The new card.")
    replaced_card = graphene.Field(Card, description="The old card, now REPLACED.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the card to replace.")
        kind = CardKindEnum(description="Kind of the new card; the old card's by default.")
        chip_uid = graphene.String(description="Chip UID of the new card (chip cards).")
        expires_at = graphene.Date(description="Expiry of the new card; the old card's by default.")

    class Meta:
        description = (
            "Replace a customer's card (say a lost one, after blocking it): the new card "
            "points at the same customer, so no value moves."
        )
        permissions = (CustomerValuePermissions.MANAGE_CARDS,)

    @classmethod
    def perform_mutation(cls, _root, info, id, kind=None, chip_uid=None, expires_at=None):
        old = _staff_card(cls, info, id)
        if old.state not in (CardState.ACTIVE, CardState.BLOCKED, CardState.EXPIRED):
            raise error("id", _("A %(state)s card cannot be replaced.") % {"state": state_label(old.state)}, Code.CARD_NOT_USABLE)
        if old.customer_id is None:
            raise error("id", _("The card belongs to nobody; there is nothing to carry over."), Code.CARD_NOT_USABLE)
        if chip_uid:
            try:
                chip_uid = codes.normalise_chip_uid(chip_uid)
            except codes.MalformedCode as exc:
                raise error("chipUid", str(exc), Code.INVALID)
            if CardModel.objects.filter(chip_uid=chip_uid).exists():
                raise error("chipUid", _("This chip UID belongs to another card."), Code.CHIP_UID_TAKEN)
        expires_at = expires_at or old.expires_at
        if expires_at is not None and expires_at <= timezone.localdate():
            raise error("expiresAt", _("The expiry date must be in the future."), Code.INVALID)
        new = CardModel.objects.create(
            code=codes.generate(),
            kind=kind or old.kind,
            chip_uid=chip_uid or None,
            state=CardState.ACTIVE,
            expires_at=expires_at,
            customer_id=old.customer_id,
            registered_at=timezone.now(),
        )
        old.state = CardState.REPLACED
        old.replaced_by = new
        old.save(update_fields=["state", "replaced_by"])
        return cls(card=new, replaced_card=old)


# --- digital cards, sign-up links, linking (issue 6) ----------------------------------


def _own_card(mutation, info, card_id) -> CardModel:
    """The caller's own card; anybody else's is reported as not found."""
    user = _login(info, _("download your card"))
    card = mutation.get_node_or_error(info, card_id, only_type=Card, field="id")
    if card.customer_id is None or card.customer.user_id != user.pk:
        raise error("id", _("Couldn't resolve to a node: %(card_id)s") % {"card_id": card_id}, Code.NOT_FOUND)
    return card


class CardDownload(CustomerValueMutation):
    file = graphene.Field(CardFile)

    class Arguments:
        id = graphene.ID(required=True, description="ID of one of your cards.")
        format = CardFileFormatEnum(required=True)

    class Meta:
        description = (
            "A download link (5 minutes) for your own card: its QR code (SVG or PNG) or a "
            "printable PDF card with your name, the code, the QR code and the expiry."
        )

    @classmethod
    def perform_mutation(cls, _root, info, id, format):
        card = _own_card(cls, info, id)
        url = downloads.card_url_for(card, format, info.context.user)
        return cls(
            file=CardFile(
                url=info.context.build_absolute_uri(url),
                filename=digital.filename(card, format),
                content_type=digital.CONTENT_TYPES[format],
            )
        )


class CardSignupLinkCreate(CustomerValueMutation):
    signup_link = graphene.Field(CardSignupLink)

    class Arguments:
        redirect_url = graphene.String(
            description=(
                "Storefront sign-up page; the returned URL is this with `?token=...`."
            )
        )
        validity_days = graphene.Int(
            description=(
                f"How long the link works, 1 to {signup.MAX_VALIDITY_DAYS} days "
                f"({signup.DEFAULT_VALIDITY_DAYS} by default)."
            )
        )

    class Meta:
        description = (
            "A shareable sign-up link: whoever opens it creates an account and a digital "
            "card in one step (`accountRegisterWithCard`)."
        )
        permissions = (CustomerValuePermissions.MANAGE_CARDS,)

    @classmethod
    def perform_mutation(cls, _root, info, redirect_url=None, validity_days=None):
        from datetime import datetime, timezone as tz

        from saleor.core.emails import prepare_url
        from saleor.core.utils.url import validate_storefront_url

        days = signup.DEFAULT_VALIDITY_DAYS if validity_days is None else validity_days
        if not 1 <= days <= signup.MAX_VALIDITY_DAYS:
            raise error(
                "validityDays", _("Give 1 to %(MAX_VALIDITY_DAYS)s days.") % {"MAX_VALIDITY_DAYS": signup.MAX_VALIDITY_DAYS}, Code.INVALID
            )
        if redirect_url:
            try:
                validate_storefront_url(redirect_url)
            except ValidationError as exc:
                raise error("redirectUrl", exc.message, Code.INVALID)
        token, expires = signup.make_token(
            user=info.context.user, app=getattr(info.context, "app", None), days=days
        )
        url = prepare_url(urlencode({"token": token}), redirect_url) if redirect_url else None
        return cls(
            signup_link=CardSignupLink(
                token=token, url=url, expires_at=datetime.fromtimestamp(expires, tz.utc)
            )
        )


class AccountRegisterWithCard(CustomerValueMutation):
    user = graphene.Field("saleor.graphql.account.types.User")
    card = graphene.Field(Card, description="The new account's digital card.")
    requires_confirmation = graphene.Boolean(
        description="Whether the user must confirm the e-mail address before logging in."
    )

    class Arguments:
        token = graphene.String(required=True, description="Token of the sign-up link.")
        email = graphene.String(required=True)
        password = graphene.String(required=True)
        first_name = graphene.String()
        last_name = graphene.String()
        redirect_url = graphene.String(
            description="Storefront URL for the confirmation e-mail (when the shop asks for confirmation)."
        )

    class Meta:
        description = (
            "Create an account and its digital card in one step, from a sign-up link "
            "(`cardSignupLinkCreate`). Password rules and e-mail checks are Saleor's. "
            "Attempts are rate-limited per client address (TOO_MANY_ATTEMPTS)."
        )

    @classmethod
    def perform_mutation(cls, _root, info, token, email, password, **data):
        try:
            result = signup.register(
                token,
                email,
                password,
                first_name=data.get("first_name") or "",
                last_name=data.get("last_name") or "",
                redirect_url=data.get("redirect_url"),
                plugins=getattr(info.context, "plugins", None),
                ip=client_ip(info.context),
            )
        except signup.SignupLinkInvalid as exc:
            raise error("token", exc.message, Code.INVALID_SIGNUP_LINK)
        except signup.TooManySignups as exc:
            raise error(None, exc.message, Code.TOO_MANY_ATTEMPTS)
        return cls(
            user=result.user,
            card=result.card,
            requires_confirmation=result.requires_confirmation,
        )


class CardLink(CustomerValueMutation):
    card = graphene.Field(Card, description="The linked card.")
    cards = graphene.List(
        graphene.NonNull(Card), description="All cards of the customer after linking."
    )

    class Arguments:
        code = graphene.String(description="The code printed on the card.")
        chip_uid = graphene.String(description="Or the chip UID of an NFC/RFID card.")
        direction = CardLinkDirectionEnum(
            description="Which customer survives the merge; CARD_TO_WALLET by default."
        )
        customer_id = graphene.ID(
            description="The customer (a user ID) to link the card to; staff with MANAGE_CARDS."
        )

    class Meta:
        description = (
            "Link a card (say a chip card) to a wallet: the logged-in customer's, or as "
            "staff a given customer's. Balances, points (with their expiry) and cards "
            "merge into one customer, in the chosen direction. A card owned by somebody "
            "else cannot be linked."
        )

    @classmethod
    def perform_mutation(cls, _root, info, code=None, chip_uid=None, direction=None, customer_id=None):
        from saleor.graphql.account.types import User

        if bool(code) == bool(chip_uid):
            raise error("code", _("Give either the card's code or its chip UID."), Code.REQUIRED)
        direction = direction or linking.CARD_TO_WALLET
        if customer_id is not None:
            if not has_permissions(info.context, (CustomerValuePermissions.MANAGE_CARDS,)):
                raise permission_denied(_("Linking a card for a customer needs MANAGE_CARDS."))
            user = cls.get_node_or_error(info, customer_id, only_type=User, field="customerId")
            limits = None
        else:
            user = _login(info, _("link a card"))
            limits = registration.limiters(user, client_ip(info.context))
        try:
            card = linking.link(
                user,
                raw_code=code,
                raw_chip_uid=chip_uid,
                direction=direction,
                actor=request_actor(info),
                limits=limits,
            )
        except RegistrationError as exc:
            raise error("chipUid" if chip_uid else "code", exc.message, Code(exc.code))
        card.refresh_from_db()
        return cls(
            card=card,
            cards=card.customer.cards.select_related("customer").order_by("-created_at", "-pk"),
        )
