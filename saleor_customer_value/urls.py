"""``/graphql/`` serving Saleor's schema extended by the plugin.

Include these patterns *instead of* Saleor's own ``api`` route (see the README). The name
stays ``api`` because Saleor reverses it.
"""
from django.conf.urls import url
from django.views.decorators.csrf import csrf_exempt
from saleor.graphql.views import GraphQLView

from .cards.downloads import card_download
from .cards.downloads import download as card_batch_download
from .graphql.api import schema
from .graphql.wallet import loaders


class CustomerValueGraphQLView(GraphQLView):
    def execute_graphql_request(self, request, data):
        loaders.install(request)
        return super().execute_graphql_request(request, data)


urlpatterns = [
    url(r"^graphql/", csrf_exempt(CustomerValueGraphQLView.as_view(schema=schema)), name="api"),
    url(r"^customer-value/card-batches/(?P<token>[^/]+)/$", card_batch_download, name="customer-value-card-batch-export"),
    url(r"^customer-value/cards/(?P<token>[^/]+)/$", card_download, name="customer-value-card-download"),
]
