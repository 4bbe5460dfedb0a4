"""Batch generation (Celery, eager in tests), progress, exports, permissions."""
import csv
import io
import re
import time
import zlib
from datetime import date, timedelta

import pytest

from saleor_customer_value.cards import batches, codes
from saleor_customer_value.models import Card, CardBatch, CardBatchStatus

from ..conftest import ApiClient, global_id, grant

CREATE = """
mutation($input: CardBatchCreateInput!) {
  cardBatchCreate(input: $input) {
    batch { id name kind status quantity progress expiresAt }
    customerValueErrors { field code message }
  }
}
"""
BATCH = """
query($id: ID!) { cardBatch(id: $id) { id status progress quantity finishedAt error } }
"""
EXPORT = """
mutation($id: ID!, $format: CardExportFormatEnum!) {
  cardBatchExport(id: $id, format: $format) {
    file { url filename contentType }
    printFile { status processed total size error }
    customerValueErrors { field code message }
  }
}
"""
PRINT_FILE = """
query($id: ID!) { cardBatch(id: $id) { printFile { status processed total size error } } }
"""
EXPIRY = (date.today() + timedelta(days=3 * 365)).isoformat()


def create_input(count, **extra):
    return {"input": {"name": "Spring print run", "quantity": count, "kind": "QR",
                      "expiresAt": EXPIRY, **extra}}


def download(staff_api, batch_id, fmt):
    data = staff_api.execute(EXPORT, {"id": batch_id, "format": fmt})["cardBatchExport"]
    assert data["customerValueErrors"] == []
    response = staff_api.client.get(data["file"]["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == data["file"]["contentType"]
    assert response.streaming  # never built in memory inside the request
    return b"".join(response.streaming_content)


def pdf_text(pdf: bytes) -> str:
    """The page streams' operators (reportlab: ASCII85 + Flate)."""
    import base64
    import re

    texts = []
    for header, body in re.findall(rb"<<([^<>]*)>>\s*stream\r?\n(.*?)\r?\n?endstream", pdf, re.S):
        if b"ASCII85Decode" in header:
            body = base64.a85decode(b"<~" + body.strip().removeprefix(b"<~"), adobe=True)
        if b"FlateDecode" in header:
            body = zlib.decompress(body)
        texts.append(body.decode("latin-1"))
    return "\n".join(texts)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_generate_10000_cards_poll_progress_and_export_csv(staff_api, staff_user):
    grant(staff_user, "manage_cards")

    started = time.monotonic()
    data = staff_api.execute(CREATE, create_input(10_000))["cardBatchCreate"]
    elapsed = time.monotonic() - started
    print(f"\n10,000 cards generated in {elapsed:.2f}s")

    assert data["customerValueErrors"] == []
    assert data["batch"]["quantity"] == 10_000
    polled = staff_api.execute(BATCH, {"id": data["batch"]["id"]})["cardBatch"]
    assert polled["status"] == "DONE"
    assert polled["progress"] == 10_000
    assert elapsed < 60
    assert Card.objects.filter(batch__name="Spring print run").count() == 10_000
    assert all(codes.is_valid(c) for c in Card.objects.values_list("code", flat=True))

    started = time.monotonic()
    content = download(staff_api, data["batch"]["id"], "CSV")
    print(f"CSV export of 10,000 cards in {time.monotonic() - started:.2f}s")
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert len(rows) == 10_000
    assert set(rows[0]) == {"code", "formatted_code", "qr_payload", "expires_at"}
    assert rows[0]["qr_payload"] == "CV1:" + rows[0]["code"]
    assert rows[0]["expires_at"] == EXPIRY
    assert len({row["code"] for row in rows}) == 10_000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pdf_is_built_in_the_background_then_streamed_with_one_qr_and_code_per_card(
    staff_api, staff_user
):
    grant(staff_user, "manage_cards")
    batch_id = staff_api.execute(CREATE, create_input(25))["cardBatchCreate"]["batch"]["id"]

    # The first request only starts the build (a Celery task after commit) ...
    first = staff_api.execute(EXPORT, {"id": batch_id, "format": "PDF"})["cardBatchExport"]
    assert first["customerValueErrors"] == [] and first["file"] is None
    assert first["printFile"]["status"] == "PENDING" and first["printFile"]["total"] == 25
    # ... whose progress staff poll (eager in tests: done at commit).
    polled = staff_api.execute(PRINT_FILE, {"id": batch_id})["cardBatch"]["printFile"]
    assert polled["status"] == "DONE" and polled["processed"] == polled["total"] == 25
    assert polled["size"] > 1000

    pdf = download(staff_api, batch_id, "PDF")

    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 3  # ten cards a page
    text = pdf_text(pdf)
    for code in Card.objects.values_list("code", flat=True):
        readable = codes.formatted(code)
        assert f"({readable[:9]}) Tj" in text and f"({readable[10:]}) Tj" in text
    assert text.count(" re") >= 25 * 20  # the QR modules are vector rectangles
    # The file is not in the public media storage.
    from django.conf import settings
    from saleor_customer_value.cards import print_jobs
    from saleor_customer_value.models import CardBatchFile

    job = CardBatchFile.objects.get()
    assert not print_jobs.storage().path(job.path).startswith(settings.MEDIA_ROOT)


def test_print_file_progress_is_committed_as_it_goes(db, monkeypatch):
    from saleor_customer_value.cards import print_jobs, print_sheet
    from saleor_customer_value.models import CardBatchFile

    batch = batches.create("progress", 45, "qr")
    batches.generate(batch.pk)
    monkeypatch.setattr(print_jobs, "PROGRESS_EVERY", 10)
    job = print_jobs.request_pdf(batch)
    seen = []
    original = print_sheet.write

    def spy(out, cards, title, progress=None):
        def watched(done):
            progress(done)
            seen.append(CardBatchFile.objects.get(pk=job.pk).processed)

        return original(out, cards, title, watched)

    monkeypatch.setattr(print_sheet, "write", spy)
    print_jobs.build(job.pk)

    assert seen == [10, 20, 30, 40, 40]  # then DONE with all 45
    job.refresh_from_db()
    assert (job.status, job.processed, job.total) == ("done", 45, 45)
    # Asking again reuses the finished file; a failed build is started again.
    assert print_jobs.request_pdf(batch).path == job.path
    CardBatchFile.objects.filter(pk=job.pk).update(status="failed", path="", error="disk full")
    again = print_jobs.request_pdf(batch)
    assert (again.status, again.processed, again.error) == ("pending", 0, "")


def test_a_failed_print_build_is_recorded_on_the_job(db, monkeypatch):
    from saleor_customer_value.cards import print_jobs, print_sheet

    batch = batches.create("failing", 3, "qr")
    batches.generate(batch.pk)
    job = print_jobs.request_pdf(batch)

    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(print_sheet, "write", broken)
    with pytest.raises(OSError):
        print_jobs.build(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "No space left" in job.error


def test_generation_advances_progress_chunk_by_chunk(db, monkeypatch):
    monkeypatch.setattr(batches, "CHUNK", 3)
    batch = batches.create("small", 10, "chip")
    seen = []
    original = batches._insert_chunk

    def spy(batch_, count):
        done = original(batch_, count)
        seen.append(CardBatch.objects.get(pk=batch.pk).generated)
        return done

    monkeypatch.setattr(batches, "_insert_chunk", spy)
    batches.generate(batch.pk)

    assert seen == [3, 6, 9, 10]
    batch.refresh_from_db()
    assert batch.status == CardBatchStatus.DONE
    # Running again (a retried task) adds nothing.
    batches.generate(batch.pk)
    assert Card.objects.filter(batch=batch).count() == 10


@pytest.mark.parametrize(
    "change, field",
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 100_001}, "quantity"),
        ({"name": "  "}, "name"),
        ({"expiresAt": date.today().isoformat()}, "expiresAt"),
    ],
)
def test_bad_batch_input_is_refused_and_creates_nothing(staff_api, staff_user, change, field):
    grant(staff_user, "manage_cards")
    data = staff_api.execute(CREATE, create_input(5, **change))["cardBatchCreate"]
    assert data["batch"] is None
    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [(field, "INVALID")]
    assert not CardBatch.objects.exists()


def test_batches_need_manage_cards(staff_api, customer_api, db):
    for client in (staff_api, customer_api, ApiClient()):
        data = client.execute(CREATE, create_input(5))["cardBatchCreate"]
        assert data["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"
    assert not CardBatch.objects.exists()
    batch = batches.create("x", 1, "qr")
    content = staff_api.post(BATCH, {"id": global_id("CardBatch", batch.pk)})
    assert content["data"]["cardBatch"] is None and content["errors"]
    data = staff_api.execute(EXPORT, {"id": global_id("CardBatch", batch.pk), "format": "CSV"})
    assert data["cardBatchExport"]["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"


def test_export_of_an_unfinished_batch_is_refused(staff_api, staff_user):
    grant(staff_user, "manage_cards")
    batch = batches.create("x", 3, "qr")
    data = staff_api.execute(EXPORT, {"id": global_id("CardBatch", batch.pk), "format": "CSV"})
    assert data["cardBatchExport"]["file"] is None
    assert data["cardBatchExport"]["customerValueErrors"][0]["code"] == "BATCH_NOT_READY"


def test_download_links_are_signed_short_lived_and_rechecked(staff_api, staff_user, customer_api):
    grant(staff_user, "manage_cards")
    batch = batches.create("x", 2, "qr")
    batches.generate(batch.pk)
    url = staff_api.execute(EXPORT, {"id": global_id("CardBatch", batch.pk), "format": "CSV"})[
        "cardBatchExport"]["file"]["url"]

    assert customer_api.client.get(url).status_code == 200  # the link is the credential
    assert customer_api.client.get(url[:-3] + "xx/").status_code == 403  # tampered
    staff_user.user_permissions.clear()
    from saleor.account.models import User

    User.objects.get(pk=staff_user.pk)  # drop the permission cache
    assert ApiClient().client.get(url).status_code == 403  # the signer lost the permission
