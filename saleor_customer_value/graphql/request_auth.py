"""Request-level authentication for ``/graphql/``, done once per request (issue 16).

Saleor 2.10 authenticates inside three GraphQL middlewares (``GRAPHENE["MIDDLEWARE"]``:
tracing, JWT, App) that graphql-core runs around *every* field resolution and that make
it wrap every field's value in a promise. A till's answer has ~20 fields, so that
machinery, not the authentication, cost more than the whole ``{ shop { name } }``
request. The JWT user and the App depend only on the request, so the view resolves them
here before execution and then runs the fields with the tracing middleware alone and no
promise per field (``SLIM_MIDDLEWARE``).

Behaviour is Saleor's:

* JWT: the same ``authenticate(request=...)`` the JWT middleware calls for the first
  field. Only a success is taken over; when it fails (bad, expired token, unknown user:
  an exception, or no user) the request runs with Saleor's own middleware, which reports
  the error on each field exactly as before.
* App: ``request.app`` is set exactly as ``saleor.graphql.middleware.app_middleware``
  sets it (only on the API path, only for ``Authorization: Bearer <token>``, lazily),
  but the active App and its permissions are read in one statement instead of two.
* Tracing: ``OpentracingGrapheneMiddleware`` still runs for every field (it only opens
  spans for fields with their own resolver).
"""
from functools import lru_cache
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils.functional import SimpleLazyObject
from graphql.execution.middleware import MiddlewareManager
from graphql_jwt.exceptions import JSONWebTokenError
from graphql_jwt.utils import get_http_authorization
from saleor.app.models import App
from saleor.graphql.middleware import OpentracingGrapheneMiddleware
from saleor.graphql.views import API_PATH

# What Saleor 2.10 configures; any other configuration is left to Saleor's view.
SALEOR_MIDDLEWARE = [
    "saleor.graphql.middleware.OpentracingGrapheneMiddleware",
    "saleor.graphql.middleware.JWTMiddleware",
    "saleor.graphql.middleware.app_middleware",
]

# One manager per process: it caches the wrapped resolver per field resolver.
# wrap_in_promise=False: a plain value stays a plain value (graphql-core still
# handles resolvers that return promises themselves, e.g. data loaders).
SLIM_MIDDLEWARE = MiddlewareManager(OpentracingGrapheneMiddleware, wrap_in_promise=False)


@lru_cache(maxsize=None)
def _app_query():
    app = App._meta.db_table
    token = App.tokens.rel.related_model._meta.db_table
    through = App.permissions.through._meta.db_table
    columns = ", ".join(f"a.{connection.ops.quote_name(f.column)}" for f in App._meta.concrete_fields)
    # Same rows as get_app (active App owning the token; tokens are unique) and the
    # same permission strings as App.get_permissions, in one round trip.
    return (
        f"SELECT {columns}, ARRAY("
        f"SELECT ct.app_label || '.' || p.codename FROM {through} ap "
        "JOIN auth_permission p ON p.id = ap.permission_id "
        "JOIN django_content_type ct ON ct.id = p.content_type_id "
        "WHERE ap.app_id = a.id) AS perms "
        f"FROM {app} a JOIN {token} t ON t.app_id = a.id "
        "WHERE t.auth_token = %s AND a.is_active ORDER BY a.id LIMIT 1"
    )


def app_for_token(auth_token):
    """The active App of ``auth_token`` with its permissions loaded, or None."""
    with connection.cursor() as cursor:
        cursor.execute(_app_query(), [auth_token])
        row = cursor.fetchone()
    if row is None:
        return None
    fields = [f.attname for f in App._meta.concrete_fields]
    app = App.from_db(connection.alias, fields, row[:-1])
    # The attribute App.get_permissions caches its answer in.
    app._app_perm_cache = set(row[-1] or ())
    return app


def _set_app(request):
    # saleor.graphql.middleware.app_middleware, with app_for_token for get_app.
    if request.path != API_PATH or hasattr(request, "app"):
        return
    request.app = None
    auth = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(auth) == 2:
        auth_prefix, auth_token = auth
        if auth_prefix.lower() == "bearer":
            request.app = SimpleLazyObject(lambda: app_for_token(auth_token))


def _authenticate_user(request) -> bool:
    """Whether the JWT middleware would have nothing left to do for any field."""
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    if not request.user.is_anonymous or get_http_authorization(request) is None:
        return True
    try:
        user = authenticate(request=request)
    except JSONWebTokenError:
        return False
    if user is None:
        return False
    request.user = user
    return True


def slim_middleware(request):
    """``SLIM_MIDDLEWARE`` when the request's user and App are settled here, else None
    (the caller then runs Saleor's configured middleware)."""
    if list(settings.GRAPHENE.get("MIDDLEWARE", ())) != SALEOR_MIDDLEWARE:
        return None
    if not _authenticate_user(request):
        return None
    _set_app(request)
    return SLIM_MIDDLEWARE
