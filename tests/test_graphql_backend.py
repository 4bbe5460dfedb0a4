"""``/graphql/`` validates each distinct query text once per process
(``graphql/backend.py``): a remembered document must answer exactly like a fresh one,
and an invalid one must be refused every time."""
import json

from saleor_customer_value.graphql.backend import ValidatedDocumentBackend
from saleor_customer_value.graphql.api import schema


def test_a_repeated_query_answers_the_same_each_time(api_client, db):
    # given a query sent before
    first = api_client.post("{ shop { name } }")

    # when it is sent again
    again = api_client.post("{ shop { name } }")

    # then the answer is the same
    assert first == again and "errors" not in again


def test_an_invalid_query_is_refused_every_time(api_client, db):
    for _ in range(2):
        response = api_client.client.post(
            "/graphql/", {"query": "{ shop { nameThatDoesNotExist } }"},
            content_type="application/json",
        )
        content = json.loads(response.content)
        assert response.status_code == 400
        assert "nameThatDoesNotExist" in content["errors"][0]["message"]


def test_only_valid_documents_are_remembered_and_the_cache_is_bounded():
    backend = ValidatedDocumentBackend(max_documents=2)
    graphql_schema = schema

    invalid = backend.document_from_string(graphql_schema, "{ nope }")
    assert backend.document_from_string(graphql_schema, "{ nope }") is not invalid
    documents = [
        backend.document_from_string(graphql_schema, query)
        for query in ("{ shop { name } }", "{ shop { description } }", "{ shop { domain { host } } }")
    ]
    assert len(backend._documents) == 2
    assert backend.document_from_string(graphql_schema, "{ shop { domain { host } } }") is documents[2]
