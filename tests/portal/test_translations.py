"""Every message id in our code and templates has Chinese, from our catalog or Django's/Wagtail's/allauth's."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["portal", "home", "governance", "property", "templates", "manage.py"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _unquote(line: str) -> str:
    return line[line.index('"') + 1 : line.rindex('"')].encode().decode("unicode_escape").encode("latin-1").decode()


def parse_po(text: str) -> list[tuple[str, str, str]]:
    """(msgctxt, msgid, msgid_plural) of every entry; enough of the .po grammar for makemessages output."""
    entries, current, field = [], {}, None
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line or line.startswith("#"):
            if current.get("msgid"):
                entries.append((current.get("msgctxt", ""), current["msgid"], current.get("msgid_plural", "")))
            if not line:
                current, field = {}, None
            continue
        keyword = line.split(" ", 1)[0]
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            field = keyword
            current[field] = _unquote(line)
        elif keyword.startswith("msgstr"):
            field = None
        elif line.startswith('"') and field:
            current[field] += _unquote(line)
    return entries


@pytest.fixture(scope="module")
def message_ids(tmp_path_factory):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install GNU gettext: the translation check needs xgettext")
        pytest.skip("gettext tools are not installed")
    work = tmp_path_factory.mktemp("messages")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
        else:
            shutil.copy(source, work / name)
    (work / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "-v0"],
        cwd=work,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.test", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(work)},
    )
    return parse_po((work / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8"))


def test_every_message_id_has_chinese(message_ids):
    missing = []
    with translation.override("zh-hans"):
        for context, msgid, plural in message_ids:
            if CJK.search(msgid) or not re.search(r"[A-Za-z]", msgid):
                continue
            if plural:
                text = (
                    translation.npgettext(context, msgid, plural, 1)
                    if context
                    else translation.ngettext(msgid, plural, 1)
                )
            else:
                text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            if text == msgid:
                missing.append(f"{context + '|' if context else ''}{msgid}")
    assert not missing, "没有中文翻译的消息（请加到 i18n/zh_Hans/*.po）:\n" + "\n".join(sorted(missing))


def test_extraction_sees_our_code(message_ids):
    """Guards the guard: an empty extraction would make the test above pass vacuously."""
    ids = {msgid for _, msgid, _ in message_ids}
    assert {"community page", "designated voter"} <= ids
