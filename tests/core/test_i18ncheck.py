"""The catalogue check CI runs: a translation that loses a count or a name is refused."""

import polib

from tdkt.core import i18ncheck


def _catalogue(tmp_path, entries):
    folder = tmp_path / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    for entry in entries:
        po.append(entry)
    po.save(str(folder / "django.po"))
    po.save_as_mofile(str(folder / "django.mo"))


def test_a_plural_form_that_lost_its_count_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(i18ncheck, "LOCALE", tmp_path)
    _catalogue(
        tmp_path,
        [
            polib.POEntry(
                msgid="%(n)s đơn vị chưa đăng ký",
                msgid_plural="%(n)s đơn vị chưa đăng ký",
                msgstr_plural={0: "%(n)s đơn vị"},
            ),
            polib.POEntry(
                msgid="%(n)s thông báo", msgid_plural="%(n)s thông báo", msgstr_plural={0: "thông báo"}
            ),
            polib.POEntry(msgid="Quyết định %(ref)s", msgstr="Quyết định"),
        ],
    )

    problems = i18ncheck.check()

    assert len(problems) == 4, problems
    assert "khác với câu gốc: '%(n)s đơn vị chưa đăng ký' -> '%(n)s đơn vị'" in problems[0]
    assert "khác với câu gốc: '%(n)s thông báo' -> 'thông báo'" in problems[1]
    assert "chỗ điền ['n']: '%(n)s thông báo' -> 'thông báo'" in problems[2]
    assert "chỗ điền ['ref']: 'Quyết định %(ref)s' -> 'Quyết định'" in problems[3]


def test_the_project_catalogues_pass():
    assert i18ncheck.check() == []
