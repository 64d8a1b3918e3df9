"""Merge the Chinese fragments of i18n/zh_Hans/ into one catalog and compile it.

Pure Python (polib), so that `make run` needs nothing but Python on a fresh machine. The first fragment
(in file-name order) that translates a message id wins, as `msgcat --use-first` would. A message id
translated differently in two fragments is reported, since one of the two translations is then dead.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS = sorted((ROOT / "i18n" / "zh_Hans").glob("*.po"))
TARGET = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"


def main() -> int:
    catalog = polib.POFile()
    catalog.metadata = {
        "Project-Id-Version": "shequ-gongzhi",
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    conflicts = []
    for fragment in FRAGMENTS:
        for entry in polib.pofile(str(fragment)):
            if not entry.translated() or entry.obsolete:
                continue
            key = (entry.msgctxt or "", entry.msgid)
            translation = entry.msgstr or entry.msgstr_plural.get(0, "")
            if key in seen:
                if seen[key][1] != translation:
                    conflicts.append(f"{entry.msgid!r}: {seen[key][0]} 与 {fragment.name} 的译文不同")
                continue
            seen[key] = (fragment.name, translation)
            catalog.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr=entry.msgstr,
                    msgstr_plural=entry.msgstr_plural,
                )
            )
    TARGET.mkdir(parents=True, exist_ok=True)
    catalog.save(str(TARGET / "django.po"))
    catalog.save_as_mofile(str(TARGET / "django.mo"))
    for line in conflicts:
        print("注意：", line, file=sys.stderr)
    print(f"{len(catalog)} 条译文，来自 {len(FRAGMENTS)} 个文件。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
