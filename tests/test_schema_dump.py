"""The committed schema dumps must match what the code serves."""
from pathlib import Path

from saleor_customer_value.graphql.dump import plugin_sdl, full_sdl

ROOT = Path(__file__).resolve().parent.parent


def test_full_schema_dump_is_current():
    committed = (ROOT / "schema.graphql").read_text()
    assert committed == full_sdl(), (
        "schema.graphql is stale: run `bin/dump-schema` and commit the result."
    )


def test_plugin_schema_dump_is_current():
    committed = (ROOT / "saleor_customer_value" / "schema.graphql").read_text()
    assert committed == plugin_sdl(), (
        "saleor_customer_value/schema.graphql is stale: run `bin/dump-schema`."
    )


def test_plugin_dump_contains_only_the_plugin_additions():
    sdl = plugin_sdl()
    assert "ledgerTransactions" in sdl
    assert "type LedgerTransaction " in sdl
    # Saleor's own types are not repeated
    assert "type Checkout " not in sdl
