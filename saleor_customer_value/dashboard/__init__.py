"""Serving the staff console (built by Vite from ``dashboard-extension/``) from the shop
itself, on the same origin as ``/graphql/``: no CORS, no second server."""
