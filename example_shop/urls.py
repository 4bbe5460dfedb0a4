"""URL configuration of the example shop.

Saleor's own routes, except that ``/graphql/`` serves the schema extended by the plugin.
The URL keeps the name ``api`` because Saleor reverses it.
"""
from django.conf import settings
from django.conf.urls import url
from django.views.static import serve
from saleor import urls as saleor_urls
from saleor.core import views as core_views

from saleor_customer_value.urls import urlpatterns as customer_value_urlpatterns

urlpatterns = customer_value_urlpatterns + [
    pattern
    for pattern in saleor_urls.urlpatterns
    if getattr(pattern, "name", None) != "api"
]

# The home page with the links (Saleor routes it only when DEBUG is on).
urlpatterns.append(url(r"^$", core_views.home, name="home"))

# Uploaded media (the demo catalogue's images) when DEBUG is off: a real shop serves
# them from its storage (S3, GCS) or web server instead (README "Production settings").
if getattr(settings, "SERVE_MEDIA", False) and not settings.DEBUG:
    urlpatterns.append(
        url(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
