from django.apps import AppConfig


class CustomerValueConfig(AppConfig):
    name = "saleor_customer_value"
    label = "customer_value"
    verbose_name = "Customer value"

    def ready(self):
        from .permissions import register_permissions

        register_permissions()
        from .webhooks.events import register_event_types

        register_event_types()
