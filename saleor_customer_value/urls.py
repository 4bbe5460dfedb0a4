"""``/graphql/`` serving Saleor's schema extended by the plugin.

Include these patterns *instead of* Saleor's own ``api`` route (see the README). The name
stays ``api`` because Saleor reverses it.
"""
from django.conf.urls import url
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from saleor.graphql.views import GraphQLView

from .cards.downloads import card_download
from .credit.downloads import download as credit_statement_download
from .cards.downloads import download as card_batch_download
from .dashboard.urls import urlpatterns as dashboard_urlpatterns
from .graphql.api import schema
from .graphql import request_auth
from .graphql.backend import ValidatedDocumentBackend
from .graphql.wallet import loaders
from .notifications.language import request_language
from .partners.exports import download as partner_statement_download
from .reports.downloads import download as ledger_export_download
from .reports.downloads import report_download


class CustomerValueGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        # Saleor 2.10 has no LocaleMiddleware: answer in the request's language, else
        # the customer's stored one, else the shop's (notifications/language.py).
        language = request_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = super().dispatch(request, *args, **kwargs)
        if not response.has_header("Content-Language"):
            response["Content-Language"] = language
        return response

    def execute_graphql_request(self, request, data):
        loaders.install(request)
        # The JWT user and the App once per request instead of per field (issue 16);
        # Saleor's configured middleware when that cannot be done (see request_auth).
        # Django builds a view instance per request, so this changes only this one.
        slim = request_auth.slim_middleware(request)
        if slim is not None:
            self.middleware = slim
        return super().execute_graphql_request(request, data)


urlpatterns = [
    url(
        r"^graphql/",
        csrf_exempt(CustomerValueGraphQLView.as_view(schema=schema, backend=ValidatedDocumentBackend())),
        name="api",
    ),
    url(r"^customer-value/card-batches/(?P<token>[^/]+)/$", card_batch_download, name="customer-value-card-batch-export"),
    url(r"^customer-value/cards/(?P<token>[^/]+)/$", card_download, name="customer-value-card-download"),
    url(r"^customer-value/partner-statements/(?P<token>[^/]+)/$", partner_statement_download, name="customer-value-partner-statement"),
    url(r"^customer-value/ledger-exports/(?P<token>[^/]+)/$", ledger_export_download, name="customer-value-ledger-export"),
    url(r"^customer-value/credit-statements/(?P<token>[^/]+)/$", credit_statement_download, name="customer-value-credit-statement"),
    url(r"^customer-value/report-exports/(?P<token>[^/]+)/$", report_download, name="customer-value-report-export"),
] + dashboard_urlpatterns
