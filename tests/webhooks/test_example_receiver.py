"""The example receiver of the README accepts signed deliveries and refuses forged ones."""
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from ..wallet.conftest import fund_wallet
from .conftest import PORTS, SECRET, deliver, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "pos_webhook_receiver.py"


def free_port():
    for port in reversed(PORTS):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


@pytest.fixture
def example_receiver():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-u", str(SCRIPT), str(port)],
        env={"WEBHOOK_SECRET": SECRET, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(50):
        try:
            requests.post(url, data=b"{}", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield url, proc
    proc.terminate()


def test_example_receiver_verifies_signatures(example_receiver, till_app, customer_user):
    url, proc = example_receiver
    subscribe(till_app, url, ["CUSTOMER_VALUE_WALLET_BALANCE_CHANGED"])
    fund_wallet(customer_user, "7.00")

    deliver()
    forged = requests.post(url, data=b'{"id": "x"}', headers={"X-Saleor-HMAC-SHA256": "sha1=00"})
    proc.terminate()
    output = proc.communicate(timeout=10)[0]

    assert forged.status_code == 401
    assert "customer_value_wallet_balance_changed" in output and '"change": "7.00"' in output
    from saleor_customer_value.models import WebhookDelivery

    assert WebhookDelivery.objects.get().status == "delivered"
