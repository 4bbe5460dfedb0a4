import graphene
from saleor.graphql.core.enums import to_enum

from ..error_codes import CustomerValueErrorCode as _ErrorCode
from ..ledger.reasons import ActorType, Reason, SystemAccountCode
from ..models import AccountKind

CustomerValueErrorCode = graphene.Enum.from_enum(_ErrorCode)
LedgerReasonEnum = to_enum(Reason, type_name="LedgerReasonEnum")
LedgerActorTypeEnum = to_enum(ActorType, type_name="LedgerActorTypeEnum")
LedgerAccountKindEnum = to_enum(AccountKind, type_name="LedgerAccountKindEnum")
LedgerSystemAccountEnum = to_enum(SystemAccountCode, type_name="LedgerSystemAccountEnum")
