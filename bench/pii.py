"""Precision and recall of ``disclosure.pii`` on a small labelled set written for it.

    python -m bench.pii

Each line is a sentence of the kind found in city records with the personal information in
it marked ``[[kind:text]]``. A finding counts as a true positive when kind and text match a
label exactly.
"""

from __future__ import annotations

import re
from collections import Counter

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


def main() -> None:
    tp, fp, fn = Counter(), Counter(), Counter()
    for line in LABELLED.splitlines():
        text, labels = parse(line)
        found = {(f.kind, f.text) for f in detect(text)}
        for kind, _ in found & labels:
            tp[kind] += 1
        for kind, _ in found - labels:
            fp[kind] += 1
        for kind, _ in labels - found:
            fn[kind] += 1
    print(f"{'kind':<14}{'tp':>4}{'fp':>4}{'fn':>4}{'precision':>11}{'recall':>8}")
    for kind in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 1.0
        r = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 1.0
        print(f"{kind:<14}{tp[kind]:>4}{fp[kind]:>4}{fn[kind]:>4}{p:>11.2f}{r:>8.2f}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'all':<14}{t:>4}{f:>4}{n:>4}{t / (t + f):>11.2f}{t / (t + n):>8.2f}")


if __name__ == "__main__":
    main()
