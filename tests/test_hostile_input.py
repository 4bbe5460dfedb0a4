"""Hostile input against every plugin mutation and the plugin's lookup queries.

The mutations and their arguments are found by introspecting the schema served at
``/graphql/`` (a mutation is the plugin's when its payload has ``customerValueErrors``),
so a mutation added later is fuzzed without touching this module. Every hostile value
must come back as a typed ``customerValueErrors`` entry, with HTTP 200, no top-level
error and no new row in any of the plugin's tables.

To stay fast, one request carries many aliased mutations (each still runs and fails in
its own DB transaction).
"""
import base64
import json
import uuid

import pytest
import saleor.product.utils  # noqa: F401  Saleor's product.tasks fails when imported first
from django.apps import apps
from saleor.account.models import User

from saleor_customer_value.loyalty import program as programs

from .conftest import API_URL, ApiClient, global_id

HOSTILE_NUMBERS = [
    "RAW:1e309",  # a JSON number: parsed as float infinity
    "1" * 400,
    "1e308",
    "1E+28",
    "sNaN",
    "NaN",
    "Infinity",
    "-0",
    "\u0661\u0662",  # Arabic-Indic "12"
]
HOSTILE_TEXT = ["a\u0000b", "\ud800"]


def _gid(text):
    return base64.b64encode(text.encode()).decode()


# Refused before any resolver runs: INVALID on the argument itself.
MALFORMED_IDS = ["", "=", "User:abc", "A" * 100_000]
# Well-formed global IDs that name nothing: the resolver's lookup refuses them.
UNRESOLVABLE_IDS = [_gid("User:abc"), _gid("User:1.5"), _gid("User:1e5"), _gid("WrongType:1")]
HOSTILE_INTS = [2147483647, -2147483648]

TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }"
INTROSPECTION = """
{ __schema {
    mutationType { fields { name args { name type { %(t)s } } type { name } } }
    types { name kind fields { name } enumValues { name }
            inputFields { name type { %(t)s } } }
} }
""" % {"t": TYPE_REF}

# Logs, not value: failed attempts counted for rate limits, and posSync's record of a
# refused offline booking (kept so a replayed upload refuses it again).
PLUGIN_TABLES_IGNORED = {"RateLimitCounter", "PosSyncItem"}


def _named(type_ref):
    """(base type name, required?) of a type reference."""
    required = type_ref["kind"] == "NON_NULL"
    while type_ref.get("ofType"):
        if type_ref["kind"] == "LIST":
            return type_ref["ofType"] and _named(type_ref["ofType"])[0], required, True
        type_ref = type_ref["ofType"]
    return type_ref["name"], required, False


def _render(type_ref):
    if type_ref["kind"] == "NON_NULL":
        return _render(type_ref["ofType"]) + "!"
    if type_ref["kind"] == "LIST":
        return "[" + _render(type_ref["ofType"]) + "]"
    return type_ref["name"]


class Schema:
    def __init__(self, data):
        self.types = {t["name"]: t for t in data["types"]}
        self.mutations = [
            field
            for field in data["mutationType"]["fields"]
            if "customerValueErrors"
            in {f["name"] for f in (self.types[field["type"]["name"]]["fields"] or [])}
        ]

    def baseline(self, name, world=None, arg_name=None, mutation=None):
        kind = self.types[name]["kind"]
        if kind == "ENUM":
            return self.types[name]["enumValues"][0]["name"]
        if kind == "INPUT_OBJECT":
            return {
                f["name"]: self.baseline(_named(f["type"])[0], world, f["name"], mutation)
                for f in self.types[name]["inputFields"]
                if _named(f["type"])[1] or (world and f["name"] in world)
            }
        if world and arg_name:
            realistic = _realistic(world, mutation or {"name": ""}, arg_name, None)
            if realistic is not None:
                return realistic
        return {
            "String": "x", "ID": _gid("Nothing:1"), "Int": 1, "Float": 1.0, "Boolean": False,
            "Decimal": "1", "Date": "2099-01-01", "DateTime": "2099-01-01T00:00:00+00:00",
            "UUID": str(uuid.uuid4()),
        }.get(name, "x")

    def targets(self):
        """(mutation, argument, path to the value, scalar type) of every leaf argument."""
        for mutation in self.mutations:
            for arg in mutation["args"]:
                name, _, is_list = _named(arg["type"])
                if self.types[name]["kind"] == "INPUT_OBJECT":
                    for field in self.types[name]["inputFields"]:
                        fname, _, f_list = _named(field["type"])
                        yield mutation, arg, field["name"], fname, f_list
                else:
                    yield mutation, arg, None, name, is_list


def _post(client, query, variables):
    body = json.dumps({"query": query, "variables": variables})
    for placeholder in ('"RAW:1e309"',):
        body = body.replace(placeholder, placeholder[5:-1])
    response = client.client.post(
        API_URL, data=body, content_type="application/json", **client._headers()
    )
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def _plugin_rows():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("customer_value").get_models()
        if model.__name__ not in PLUGIN_TABLES_IGNORED
    }


@pytest.fixture
def superuser_api(db):
    user = User.objects.create_superuser("root@example.com", "password-root")
    return ApiClient(user=user)


# Numbers the central check lets through (they are plain and not too large), sent with
# real objects behind every ID so the resolvers get as far as they can.
EDGE_NUMBERS = ["99999999999999.99", "0.00000000000000000001", "-1", "0"]
LONG_TEXT = "x" * 20_000


@pytest.fixture
def world(superuser_api, customer_user, variant):
    """Real objects for every ID argument, by argument name (and mutation for ``id``)."""
    from saleor.checkout.models import Checkout
    from saleor.order.models import Order

    from saleor_customer_value.models import CardBatch, LedgerTransaction

    from .cards.conftest import make_card
    from .wallet.conftest import fund_wallet

    fund_wallet(customer_user, "10.00")
    program = programs.get_program()
    program.enabled = True
    program.save()
    checkout = Checkout.objects.create(user=superuser_api.user, email="root@example.com")
    order = Order.objects.create(user=customer_user, user_email=customer_user.email)
    card = make_card()
    batch = CardBatch.objects.create(name="b", kind="qr", quantity=1)
    product = variant.product
    return {
        "customerId": global_id("User", customer_user.pk),
        "checkoutId": global_id("Checkout", checkout.token),
        "orderId": global_id("Order", order.pk),
        "productId": global_id("Product", product.pk),
        "card": global_id("Card", card.pk),
        "cardBatch": global_id("CardBatch", batch.pk),
        "ledgerTransaction": global_id("LedgerTransaction", LedgerTransaction.objects.first().pk),
        "note": "x",
        "receipt": "r-1",
        "idempotencyKey": "fuzz-1",
        "currency": "EUR",
    }


def _realistic(world, mutation, name, base):
    if name == "id":
        for prefix in ("cardBatch", "ledgerTransaction", "card"):
            if mutation["name"].startswith(prefix):
                return world[prefix]
    return world.get(name, base)


def _fire(client, schema, cases, chunk=12, world=None):
    """Run ``cases`` [(mutation, arg, field, value)] as aliased mutations; return
    {alias: (case, errors)}."""
    results = {}
    for start in range(0, len(cases), chunk):
        batch = cases[start : start + chunk]
        parts, declared, variables = [], [], {}
        for i, (mutation, arg, field, value) in enumerate(batch, start):
            args = []
            for a in mutation["args"]:
                base, required, is_list = _named(a["type"])
                # a list of input objects (posSync's items) takes one object
                listed = (lambda x: [x]) if is_list and schema.types[base]["kind"] == "INPUT_OBJECT" else (lambda x: x)
                if a["name"] == arg["name"]:
                    v = value
                    if field is not None:
                        v = listed(dict(schema.baseline(base, world), **{field: value}))
                elif required or (world and a["name"] in world):
                    v = listed(schema.baseline(base, world, a["name"], mutation))
                else:
                    continue
                var = f"v{i}_{a['name']}"
                declared.append(f"${var}: {_render(a['type'])}")
                variables[var] = v
                args.append(f"{a['name']}: ${var}")
            parts.append(
                f"m{i}: {mutation['name']}({', '.join(args)}) "
                "{ customerValueErrors { field code message } }"
            )
        query = f"mutation Hostile({', '.join(declared)}) {{ {' '.join(parts)} }}"
        content = _post(client, query, variables)
        assert "errors" not in content, (content["errors"][:3], batch[:1])
        for i, case in enumerate(batch, start):
            results[f"m{i}"] = (case, content["data"][f"m{i}"]["customerValueErrors"])
    return results


def test_every_plugin_mutation_refuses_hostile_input_with_typed_errors(superuser_api):
    # given
    programs.get_program()
    schema = Schema(superuser_api.execute(INTROSPECTION)["__schema"])
    assert len(schema.mutations) >= 33
    before = _plugin_rows()
    exact, loose = [], []  # exact: (case, code) refused on the argument itself
    for mutation, arg, field, type_name, is_list in schema.targets():
        wrap = (lambda v: [v]) if is_list else (lambda v: v)
        if type_name == "Decimal":
            exact += [((mutation, arg, field, wrap(v)), "INVALID_AMOUNT") for v in HOSTILE_NUMBERS]
        elif type_name in ("String", "ID"):
            exact += [((mutation, arg, field, wrap(v)), "INVALID") for v in HOSTILE_TEXT]
        if type_name == "ID":
            exact += [((mutation, arg, field, wrap(v)), "INVALID") for v in MALFORMED_IDS]
            loose += [(mutation, arg, field, wrap(v)) for v in UNRESOLVABLE_IDS]
        if type_name == "Int":
            loose += [(mutation, arg, field, wrap(v)) for v in HOSTILE_INTS]

    # when
    answered_exact = _fire(superuser_api, schema, [case for case, _ in exact])
    answered_loose = _fire(superuser_api, schema, loose)

    # then
    codes = dict(zip([f"m{i}" for i in range(len(exact))], [code for _, code in exact]))
    wrong = []
    for alias, ((mutation, arg, field, value), errors) in answered_exact.items():
        where = field or arg["name"]
        if not any(e["field"] == where and e["code"] == codes[alias] for e in errors):
            wrong.append((mutation["name"], where, str(value)[:30], errors))
    for (mutation, arg, field, value), errors in answered_loose.values():
        where = field or arg["name"]
        # posSync refuses a bad booking in that item's result, not in customerValueErrors
        # (tests/webhooks/test_pos_sync.py); here it only must not escape as an exception.
        per_item = mutation["name"] == "posSync" and errors == []
        ok = per_item or errors and all(
            e["code"] in ("INVALID", "NOT_FOUND", "REQUIRED", "INVALID_AMOUNT")
            or e["field"] != where
            for e in errors
        )
        if not ok:
            wrong.append((mutation["name"], where, str(value)[:30], errors))
    assert wrong == []
    assert _plugin_rows() == before
    assert len(answered_exact) + len(answered_loose) > 300


def test_values_that_pass_the_central_check_never_escape_as_exceptions(superuser_api, world):
    # given: real objects behind every ID, so resolvers run as far as they can
    schema = Schema(superuser_api.execute(INTROSPECTION)["__schema"])
    cases = []
    for mutation, arg, field, type_name, is_list in schema.targets():
        wrap = (lambda v: [v]) if is_list else (lambda v: v)
        values = {
            "Decimal": EDGE_NUMBERS, "Int": HOSTILE_INTS, "ID": UNRESOLVABLE_IDS,
            "String": [LONG_TEXT],
        }
        cases += [(mutation, arg, field, wrap(v)) for v in values.get(type_name, [])]

    # when / then: typed answers only (``_fire`` asserts no top-level error)
    answered = _fire(superuser_api, schema, cases, chunk=6, world=world)
    assert len(answered) == len(cases) > 150


QUERIES = {
    "customerWallets": "query($id: ID!) { customerWallets(customerId: $id) { currency } }",
    "customerPoints": "query($id: ID!) { customerPoints(customerId: $id) { introText } }",
    "customerCards": "query($id: ID!) { customerCards(customerId: $id) { id } }",
    "cardBatch": "query($id: ID!) { cardBatch(id: $id) { id } }",
    "ledgerTransaction": "query($id: ID!) { ledgerTransaction(id: $id) { id } }",
    "checkoutPointsQuote": "query($id: ID) { checkoutPointsQuote(checkoutId: $id) { available } }",
    "walletBookingPreview": (
        "query($id: ID!) { walletBookingPreview(customerId: $id, amount: \"1\") { allowed } }"
    ),
    "loyaltyPointsPreview": (
        "query($id: ID!) { loyaltyPointsPreview(customerId: $id, points: 1) { allowed } }"
    ),
}


def _no_escaped_exception(content):
    for err in content.get("errors", []):
        exception = err.get("extensions", {}).get("exception", {})
        assert exception.get("code") == "GraphQLError", err
        assert "stacktrace" not in exception, err


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_plugin_queries_answer_null_for_malformed_ids(superuser_api, name):
    for value in MALFORMED_IDS + UNRESOLVABLE_IDS:
        # when
        content = superuser_api.post(QUERIES[name], {"id": value})

        # then
        assert "errors" not in content, (value[:20], content["errors"])
        assert content["data"][name] in (None, [])


def test_preview_queries_refuse_hostile_numbers_without_tracebacks(superuser_api, customer_user):
    # given
    user_id = global_id("User", customer_user.pk)
    query = """query($id: ID!, $amount: Decimal!) {
        walletBookingPreview(customerId: $id, amount: $amount) { allowed } }"""
    for value in HOSTILE_NUMBERS:
        # when
        content = _post(superuser_api, query, {"id": user_id, "amount": value})

        # then
        _no_escaped_exception(content)
        assert content["errors"][0]["message"].startswith("INVALID_AMOUNT"), content
    for value in HOSTILE_INTS:
        content = superuser_api.post(
            "query($id: ID!, $p: Int!) { loyaltyPointsPreview(customerId: $id, points: $p) { allowed } }",
            {"id": user_id, "p": value},
        )
        _no_escaped_exception(content)


def test_pos_lookup_refuses_hostile_text_with_typed_errors(superuser_api):
    for field in ("code", "qrPayload", "chipUid", "email", "name"):
        for value in HOSTILE_TEXT:
            # when
            content = superuser_api.post(
                f"query($v: String) {{ posCustomerLookup({field}: $v) "
                "{ customers { name } customerValueErrors { field code } } }",
                {"v": value},
            )

            # then
            assert "errors" not in content, content["errors"]
            assert content["data"]["posCustomerLookup"]["customerValueErrors"] == [
                {"field": field, "code": "INVALID"}
            ]


def test_error_responses_carry_no_traceback_with_debug_off(api_client, settings):
    # given: an exception that escapes one of Saleor's own resolvers (Page:abc)
    query = '{ page(id: "UGFnZTphYmM=") { id } }'

    # when
    settings.DEBUG = False
    production = api_client.post(query)
    settings.DEBUG = True
    debugging = api_client.post(query)

    # then: Saleor's GraphQLView adds the stack trace only with DEBUG on
    assert "stacktrace" not in production["errors"][0]["extensions"]["exception"]
    assert "stacktrace" in debugging["errors"][0]["extensions"]["exception"]


def test_ledger_queries_refuse_hostile_filters_without_escaped_exceptions(superuser_api):
    customers = (
        "query($c: [ID]) { ledgerTransactions(first: 5, filter: {customers: $c}) "
        "{ edges { node { id } } } }"
    )
    text = (
        "query($s: String) { ledgerTransactions(first: 5, filter: {reference: $s, unit: $s}) "
        "{ edges { node { id } } } }"
    )
    for value in MALFORMED_IDS + UNRESOLVABLE_IDS:
        content = superuser_api.post(customers, {"c": [value]})
        _no_escaped_exception(content)
        assert "errors" in content
    for value in HOSTILE_TEXT:
        content = superuser_api.post(text, {"s": value})
        _no_escaped_exception(content)
        assert content["errors"][0]["message"].startswith("INVALID")
    for value in HOSTILE_TEXT + ["XYZ"]:
        content = superuser_api.post("query($s: String) { myWallet(currency: $s) { currency } }", {"s": value})
        _no_escaped_exception(content)
