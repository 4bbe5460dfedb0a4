"""URL configuration of the example shop.

Saleor's own routes, except that ``/graphql/`` serves the schema extended by the plugin.
The URL keeps the name ``api`` because Saleor reverses it.
"""
from saleor import urls as saleor_urls

from saleor_customer_value.urls import urlpatterns as customer_value_urlpatterns

urlpatterns = customer_value_urlpatterns + [
    pattern
    for pattern in saleor_urls.urlpatterns
    if getattr(pattern, "name", None) != "api"
]
