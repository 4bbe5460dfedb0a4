"""A GraphQL backend that parses and validates each distinct query text once.

graphql-core 2 parses and validates the document on every request. Validation depends
only on the schema and the query text, and clients (tills, storefronts) send the same few
queries over and over: for a POS lookup the validation alone cost ~3 ms of the ~7 ms a
request took (see benchmarks/README.md). This backend keeps the parsed, validated
document of the most recent ``MAX_DOCUMENTS`` query texts per process and executes
them without validating again. Variables are still coerced and checked against the
document on every request (that is execution, not validation), and a document that
fails validation is never cached: it is validated again each time it is sent.
"""
import threading
from collections import OrderedDict
from functools import partial

from graphql.backend.base import GraphQLBackend, GraphQLDocument
from graphql.execution import ExecutionResult, execute
from graphql.language.base import parse
from graphql.validation import validate

MAX_DOCUMENTS = 512
MAX_QUERY_LENGTH = 20_000  # longer texts are served, just not remembered


def _invalid(errors, *args, **kwargs):
    return ExecutionResult(errors=errors, invalid=True)


class ValidatedDocumentBackend(GraphQLBackend):
    def __init__(self, max_documents=MAX_DOCUMENTS):
        self.max_documents = max_documents
        self._documents = OrderedDict()
        self._lock = threading.Lock()

    def document_from_string(self, schema, document_string):
        key = (id(schema), document_string) if isinstance(document_string, str) else None
        if key is not None:
            with self._lock:
                document = self._documents.get(key)
                if document is not None:
                    self._documents.move_to_end(key)
                    return document
        document_ast = parse(document_string)
        errors = validate(schema, document_ast)
        if errors:
            return GraphQLDocument(
                schema=schema,
                document_string=document_string,
                document_ast=document_ast,
                execute=partial(_invalid, errors),
            )
        document = GraphQLDocument(
            schema=schema,
            document_string=document_string,
            document_ast=document_ast,
            execute=partial(execute, schema, document_ast),
        )
        if key is not None and len(document_string) <= MAX_QUERY_LENGTH:
            with self._lock:
                self._documents[key] = document
                while len(self._documents) > self.max_documents:
                    self._documents.popitem(last=False)
        return document
