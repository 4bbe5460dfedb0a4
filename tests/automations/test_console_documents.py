"""The console's Reports and Automations pages send exactly these documents: run them
against the real endpoint with the variables the pages send (empty forms)."""
import re
from pathlib import Path

from ..conftest import grant
from ..loyalty.conftest import program  # noqa: F401

ROOT = Path(__file__).resolve().parents[2] / "dashboard-extension" / "src" / "staff"


def documents(path):
    text = (ROOT / path).read_text()
    return {m.group(1): m.group(2) for m in re.finditer(r"export const (\w+) = graphql\(`(.*?)`\);", text, re.S)}


def test_reports_page_documents_answer(staff_api, staff_user):
    grant(staff_user, "view_ledger")
    docs = documents("reports/queries.ts")
    data = staff_api.execute(docs["ValueReports"], {
        "filter": {"dateFrom": None, "dateTo": None, "unit": None, "amount": None},
        "flowUnit": "EUR", "dateFrom": None, "dateTo": None, "period": "DAY",
    })
    assert len(data["valueFlow"]) == 30
    for report in ("SUMMARY", "LIABILITY", "BREAKAGE", "EXPIRY_FORECAST", "FLOW"):
        answer = staff_api.execute(docs["ValueReportExport"], {"report": report, "filter": {"unit": "EUR"}, "period": "WEEK"})
        assert answer["valueReportExport"]["customerValueErrors"] == [], report


def test_automations_page_documents_answer(staff_api, staff_user, customer_user, program):  # noqa: F811
    grant(staff_user, "manage_loyalty")
    docs = documents("automations/queries.ts")
    assert staff_api.execute(docs["SegmentPreview"], {"filter": {}})["automationSegmentPreview"]["count"] == 1
    created = staff_api.execute(docs["RunCreate"], {
        "filter": {"emailContains": "erika"},
        "input": {"action": "ADD_POINTS", "points": 5, "note": "console", "customerNote": ""},
    })["automationRunCreate"]
    assert created["customerValueErrors"] == []
    gift = staff_api.execute(docs["GiftSave"], {"input": {
        "name": "Monthly", "frequency": "MONTHLY", "day": 1, "filter": {},
        "action": {"action": "ADD_POINTS", "points": 5, "note": "console", "customerNote": ""},
    }})["periodicGiftSave"]
    assert gift["customerValueErrors"] == []
    overview = staff_api.execute(docs["AutomationOverview"])
    assert [r["status"] for r in overview["automationRuns"]] == ["PENDING"]
    assert [g["name"] for g in overview["periodicGifts"]] == ["Monthly"]
    cancelled = staff_api.execute(docs["RunCancel"], {"id": created["run"]["id"]})["automationRunCancel"]
    assert cancelled["run"]["status"] == "CANCELLED"
