#!/usr/bin/env python3
"""A minimal receiver for saleor-customer-value webhooks (standard library only).

    WEBHOOK_SECRET=my-secret python3 examples/pos_webhook_receiver.py [port]

Subscribe it with Saleor's own mutation, as the POS App (token of an App with USE_POS):

    mutation { webhookCreate(input: {name: "till", targetUrl: "http://127.0.0.1:8150/",
      secretKey: "my-secret", events: [CUSTOMER_VALUE_WALLET_BALANCE_CHANGED,
      CUSTOMER_VALUE_POINTS_BALANCE_CHANGED, CUSTOMER_VALUE_CARD_BLOCKED]}) {
      webhookErrors { field message } } }

It verifies the signature (X-Saleor-HMAC-SHA256 = "sha1=" + hex HMAC-SHA256 of the raw
body with the secret: Saleor 2.10's format), drops duplicates by event id, and warns
when a customer's events have a gap (previousSequence is the sequence of the last event
this webhook got for that customer). Answer 2xx only once an event is stored: anything
else is retried with backoff, and the customer's later events wait for it.
"""
import hashlib
import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ.get("WEBHOOK_SECRET", "my-secret").encode()
seen_events = set()  # a real till keeps these (and the last sequences) on disk
last_sequence = {}


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expected = "sha1=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.headers.get("X-Saleor-HMAC-SHA256", "")):
            return self.answer(401, "bad signature")
        event = json.loads(body)
        if event["id"] in seen_events:
            return self.answer(200, "duplicate")  # at-least-once delivery: ignore
        customer = (event.get("customer") or {}).get("id")
        if customer is not None:
            known = last_sequence.get(customer)
            if known is not None and event["previousSequence"] not in (None, known):
                print(f"  ! gap for customer {customer}: had {known}, "
                      f"event follows {event['previousSequence']} (query customerValueEvents)")
            last_sequence[customer] = event["sequence"]
        seen_events.add(event["id"])
        print(f"{event['type']} customer={customer} seq={event.get('sequence')} "
              f"data={json.dumps(event['data'], ensure_ascii=False)}")
        self.answer(200, "ok")

    def answer(self, status, text):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(text.encode())

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8150
    print(f"Listening on http://127.0.0.1:{port}/")
    HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
