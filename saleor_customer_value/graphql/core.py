"""The base every plugin mutation stands on.

Unlike Saleor 2.10's ``BaseMutation``, a refused permission is returned as a typed error
(``PERMISSION_DENIED``) like every other failure, and the whole mutation runs in one DB
transaction, so an error never leaves a partial write behind.
"""
import graphene
from django.core.exceptions import ValidationError
from django.db import transaction
from django.core.exceptions import NON_FIELD_ERRORS
from saleor.graphql.core.mutations import BaseMutation
from saleor.graphql.core.types.common import Error
from saleor.graphql.core.utils import snake_to_camel_case
from saleor.graphql.core.utils.error_codes import get_error_code_from_error

from ..error_codes import CustomerValueErrorCode as Code
from ..ledger.actors import Actor
from ..ledger.errors import LedgerError
from ..ledger.idempotency import IdempotencyKey
from ..security import ratelimit
from .enums import CustomerValueErrorCode
from .inputs import check_arguments, decode_id
from django.utils.translation import gettext as _


class CustomerValueError(Error):
    code = CustomerValueErrorCode(description="The error code.", required=True)


def error(field, message, code: Code):
    return ValidationError({field: ValidationError(message, code=code.value)})


def permission_denied(message=None):
    if message is None:
        message = _("You do not have permission to perform this action.")
    return ValidationError(
        {None: ValidationError(message, code=Code.PERMISSION_DENIED.value)}
    )


def owned_checkout(mutation, info, checkout_id, what=None):
    """The caller's own checkout. Another customer's checkout is reported as not found,
    so its existence is not revealed; anonymous callers are asked to log in."""
    from saleor.graphql.checkout.types import Checkout

    user = info.context.user
    if not user or not user.is_authenticated:
        what = what or _("use your wallet or points")
        raise permission_denied(_("Log in to %(what)s.") % {"what": what})
    checkout = mutation.get_node_or_error(
        info, checkout_id, only_type=Checkout, field="checkout_id"
    )
    if checkout.user_id != user.pk:
        raise error(
            "checkoutId", _("Couldn't resolve to a node: %(checkout_id)s") % {"checkout_id": checkout_id}, Code.NOT_FOUND
        )
    return checkout


def request_actor(info) -> Actor:
    return Actor.from_request(
        user=info.context.user, app=getattr(info.context, "app", None)
    )


def idempotency_key(info, key):
    if key is None:
        return None
    return IdempotencyKey(scope=request_actor(info).idempotency_scope, key=key)


def has_permissions(context, permissions) -> bool:
    return BaseMutation.check_permissions.__func__(BaseMutation, context, permissions)


class CustomerValueMutation(BaseMutation):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        options.setdefault("error_type_class", CustomerValueError)
        options.setdefault("error_type_field", "customer_value_errors")
        super().__init_subclass_with_meta__(**options)

    @classmethod
    def handle_errors(cls, error: ValidationError, **extra):
        # Saleor's converter turns every code it does not know into "invalid"; keep
        # the plugin's own codes.
        own_codes = {code.value for code in Code}
        typed = []
        for field, field_errors in error.error_dict.items():
            field = (
                None
                if field in (NON_FIELD_ERRORS, None)
                else snake_to_camel_case(field)
            )
            for err in field_errors:
                code = err.code.value if isinstance(err.code, Code) else err.code
                if code not in own_codes:
                    code = get_error_code_from_error(err)
                typed.append(
                    CustomerValueError(field=field, message=err.messages[0], code=code)
                )
        return cls(errors=typed, **{cls._meta.error_type_field: typed}, **extra)

    @classmethod
    def get_node_or_error(cls, info, node_id, field="id", only_type=None, qs=None):
        """Saleor's lookup, but an empty or malformed ID (``""``, ``User:abc``, another
        type's ID) is a typed error instead of an exception or ``None``."""
        if node_id is None:
            return None
        if only_type is None:
            return super().get_node_or_error(info, node_id, field=field, qs=qs)
        if isinstance(only_type, str):
            only_type = info.schema.get_type(only_type).graphene_type
        pk = decode_id(node_id, only_type, field=field)
        node = cls.get_node_by_pk(info, graphene_type=only_type, pk=pk, qs=qs)
        if node is None:
            raise error(field, _("Couldn't resolve to a node: %(node_id)s") % {"node_id": node_id}, Code.NOT_FOUND)
        return node

    @classmethod
    def get_nodes_or_error(cls, ids, field, only_type=None, qs=None):
        if only_type is not None:
            for node_id in ids or []:
                decode_id(node_id, only_type, field=field)
        return super().get_nodes_or_error(ids, field, only_type=only_type, qs=qs)

    @classmethod
    def mutate(cls, root, info, **data):
        if not cls.check_permissions(info.context):
            return cls.handle_errors(permission_denied())
        with ratelimit.collect():
            return cls._mutate(root, info, **data)

    @classmethod
    def _mutate(cls, root, info, **data):
        try:
            # Before any resolver code: hostile numbers, text and IDs (graphql.inputs).
            check_arguments(cls, data)
            with transaction.atomic():
                response = cls.perform_mutation(root, info, **data)
        except ValidationError as exc:
            return cls.handle_errors(exc)
        except LedgerError as exc:
            return cls.handle_errors(
                ValidationError({exc.field: ValidationError(exc.message, code=exc.code.lower())})
            )
        if response.errors is None:
            response.errors = []
        return response


IDEMPOTENCY_KEY_ARGUMENT = graphene.String(
    description=(
        "Client-chosen key (max 255 characters). Repeating a request with the same key "
        "returns the first result without booking again; reusing a key for a different "
        "request is an IDEMPOTENCY_CONFLICT error."
    )
)
