"""The demo's sample old award lists (demo/samples.py): `canbo` imports them as they are; most rows are
sure matches, one name typed without accents waits for review, one new person is created."""

from __future__ import annotations

from tdkt.accounts.models import User
from tdkt.awards.legacy import import_award_list, parse_and_match
from tdkt.demo.generator import generate
from tdkt.demo.samples import EXCEL_NAME, WORD_NAME, write_samples
from tdkt.org.models import AwardRecord


def test_the_sample_lists_import_for_the_demo_officer(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    generate(people=300, with_year=False)
    files = {p.name: p.read_bytes() for p in write_samples(tmp_path / "tep-mau")}
    assert set(files) == {WORD_NAME, EXCEL_NAME}
    canbo = User.objects.get(username="canbo")
    for name, data in files.items():
        parsed = parse_and_match(data, name, actor=canbo)
        assert parsed.error_count == 0, parsed.errors
        statuses = [r.status for r in parsed.rows]
        assert len(statuses) >= 5 and statuses[1] == "review" and statuses[-1] == "create", (name, statuses)
        assert set(statuses[:1] + statuses[2:-1]) == {"link"}, (name, statuses)
    before = AwardRecord.objects.count()
    result = import_award_list(actor=canbo, data=files[WORD_NAME], filename=WORD_NAME)
    assert result["error_count"] == 0
    added = AwardRecord.objects.filter(decision_number="45/QĐ-CĐS")
    assert AwardRecord.objects.count() - before == added.count() >= 5
    assert set(added.values_list("last_year", flat=True)) == {2019}
