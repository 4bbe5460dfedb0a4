from django.conf.urls import url

from . import views

urlpatterns = [
    url(r"^dashboard/customer-value/(?P<path>.*)$", views.page, {"app": "staff"}, name="customer-value-console"),
    url(r"^account/customer-value/(?P<path>.*)$", views.page, {"app": "account"}, name="customer-value-account"),
]
