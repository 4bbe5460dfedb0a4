"""An example Saleor 2.10.1 shop with the customer-value plugin enabled.

Everything a host shop needs to run Saleor 2.10.1 on Python 3.11 with the plugin lives
here, outside the plugin package: settings, URL configuration, the Python 3.11
compatibility patches (``compat``) and the Celery app.
"""
