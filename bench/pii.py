"""Precision and recall of ``disclosure.pii``, per kind, on two labelled sets.

    python -m bench.pii [--documents N]

* ``LABELLED``: sentences of the kind found in city records with the personal information
  in them marked ``[[kind:text]]``;
* generated request documents (``bench/pii_documents.py``: request forms, 市民の声 and
  citizens' letters, N of each), whose truth is exact because they are built from it.

A finding counts as a true positive when kind and text match a label of its line exactly.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

from bench.pii_documents import KINDS, documents
from disclosure.pii import detect

LABELLED = """\
申請者[[name:山田太郎]]様より請求がありました。
担当[[name:佐藤花子]]殿あてに送付。
[[name:鈴木]]氏は欠席した。
連絡先は電話[[phone:06-6208-7121]]です。
FAX[[phone:06-6202-7073]]まで送付願います。
携帯[[phone:090-1234-5678]]に連絡。
メール[[email:info@city.osaka.example.jp]]で受付。
問合せは[[email:k.tanaka@example.com]]へ。
個人番号[[my_number:123456789018]]を確認した。
番号123456789012は誤記である。
振込先普通預金口座番号[[bank_account:1234567]]
当座[[bank_account:7654321]]へ支払う。
生年月日[[birth_date:昭和55年4月1日]]
生年月日[[birth_date:1980年4月1日]]生まれ
住所[[address:大阪市北区中之島1丁目3番20号]]
所在地[[address:大阪府大阪市中央区大手前2丁目1番22号]]
契約金額は1,234,567円である。
令和7年4月1日に契約を締結した。
請求書番号T1234567890123を記載。
会議は10時から12時まで開催した。
予算額3,000万円を計上した。
第3回委員会の議事録。
電話番号は後日連絡する。
市長[[name:横山英幸]]氏の挨拶。
代表者[[name:高橋一郎]]様の印鑑。
工事番号2025-0101-0003の件。
昭和の町並み保存事業について。
大阪市は人口約280万人の都市である。
受付番号20250410001
提出先[[email:bunsho@example.lg.jp]]、電話[[phone:03-3581-0101]]
"""

_LABEL = re.compile(r"\[\[(\w+):([^\]]+)\]\]")


def parse(line: str) -> tuple[str, set[tuple[str, str]]]:
    return _LABEL.sub(lambda m: m.group(2), line), {
        (m.group(1), m.group(2)) for m in _LABEL.finditer(line)
    }


def score(lines: list[tuple[str, Counter[tuple[str, str]]]]) -> dict[str, Counter[str]]:
    """True and false positives and misses per kind, over (text, truth) lines."""
    tally: dict[str, Counter[str]] = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    for text, truth in lines:
        found = Counter((f.kind, f.text) for f in detect(text))
        for (kind, _), n in (found & truth).items():
            tally["tp"][kind] += n
        for (kind, _), n in (found - truth).items():
            tally["fp"][kind] += n
        for (kind, _), n in (truth - found).items():
            tally["fn"][kind] += n
    return tally


def table(title: str, tally: dict[str, Counter[str]]) -> str:
    tp, fp, fn = tally["tp"], tally["fp"], tally["fn"]
    rows = [
        f"{title}",
        "",
        "| kind | tp | fp | fn | precision | recall |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for kind in [*sorted(set(tp) | set(fp) | set(fn)), "all"]:
        t, f, n = (
            (sum(tp.values()), sum(fp.values()), sum(fn.values()))
            if kind == "all"
            else (tp[kind], fp[kind], fn[kind])
        )
        p = t / (t + f) if t + f else 1.0
        r = t / (t + n) if t + n else 1.0
        rows.append(f"| {kind} | {t} | {f} | {n} | {p:.2f} | {r:.2f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=40, help="documents of each kind")
    count = parser.parse_args().documents
    written = []
    for line in LABELLED.splitlines():
        text, labels = parse(line)
        written.append((text, Counter(labels)))
    print(table("Written sentences", score(written)))
    generated = documents(count)
    for kind in KINDS:
        lines = [
            (line.text, Counter(line.truth)) for k, doc in generated if k == kind for line in doc
        ]
        print()
        print(table(f"Generated {kind} ({count} documents)", score(lines)))
    every = [(line.text, Counter(line.truth)) for _, doc in generated for line in doc]
    print()
    print(table(f"Generated, all kinds ({len(generated)} documents)", score(every)))


if __name__ == "__main__":
    main()
