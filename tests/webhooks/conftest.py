"""A real HTTP receiver on 127.0.0.1 (ports 8150-8159) and Apps subscribed through
Saleor's own ``webhookCreate``."""
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.sites.models import Site

from saleor_customer_value.webhooks import dispatch

from ..conftest import ApiClient, grant

PORTS = range(8150, 8160)
SECRET = "s3cret-for-tests"


class Receiver:
    """Records every request; answers with the next scripted status (then 200)."""

    def __init__(self):
        self.requests = []
        self.script = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    status = receiver.script.pop(0) if receiver.script else 200
                    receiver.requests.append(
                        {"headers": dict(self.headers), "body": body, "status": status}
                    )
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver failed")

            def log_message(self, *args):
                pass

        for port in PORTS:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free port in 8150-8159")
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def delivered(self):
        """Bodies (parsed) of the requests answered with 2xx."""
        return [json.loads(r["body"]) for r in self.requests if r["status"] < 300]

    def of_type(self, event_type):
        return [e for e in self.delivered if e["type"] == event_type]


def signature(body: bytes, secret=SECRET):
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def site(db):
    Site.objects.clear_cache()
    return Site.objects.get_current()


WEBHOOK_CREATE = """
mutation Create($input: WebhookCreateInput!) {
  webhookCreate(input: $input) {
    webhook { id events { eventType name } }
    webhookErrors { field code message }
  }
}
"""


def subscribe(app, url, events, secret=SECRET):
    """The App creates its own webhook with Saleor's mutation."""
    api = ApiClient(app_token=app.tokens.first().auth_token)
    data = api.execute(
        WEBHOOK_CREATE,
        {"input": {"name": "till", "targetUrl": url, "events": events, "secretKey": secret}},
    )["webhookCreate"]
    assert data["webhookErrors"] == []
    return data["webhook"]


@pytest.fixture
def till_app(transactional_db, site):
    from saleor.app.models import App

    app = App.objects.create(name="Till 7", is_active=True)
    app.tokens.create(name="default")
    grant(app, "use_pos")
    return app


def deliver():
    """What the beat task does: fan out, then deliver everything due."""
    return dispatch.run(budget_seconds=30)
