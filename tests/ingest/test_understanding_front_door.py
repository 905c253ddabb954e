"""Through the front door on both stacks: upload over HTTP, the worker reads and indexes, search
over HTTP finds what the documents say — OCR-spaced Japanese, dates and amounts in any form,
English words as words, pages whose text layer is garbage (read by OCR, with the reason), and
each document's subtype."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx2 as httpx
import pytest

from tests.conftest import CORPUS, serving
from tests.factories import key_for, org, person, sign_in
from tests.generated import broken_unicode_pdf, scan_png
from tests.ingest.test_pipeline import wait_for
from web.services import Services

CONTRACT_LINES = ["業務委託契約書", "大阪市役所総務局と株式会社サンプル"]


@dataclass
class Site:
    base: str
    key: str

    def upload(self, name: str, content: bytes) -> str:
        response = httpx.post(
            f"{self.base}/api/v1/documents",
            files={"file": (name, content)},
            headers={"X-API-Key": self.key},
            timeout=30,
        )
        assert response.status_code == 202, response.text
        document_id = str(response.json()["id"])
        body = wait_for(self.base, self.key, document_id, {"indexed", "failed"}, timeout=300)
        assert body["status"] == "indexed", body
        return document_id

    def search(self, query: str) -> set[str]:
        response = httpx.get(
            f"{self.base}/api/v1/search",
            params={"q": query, "size": 100},
            headers={"X-API-Key": self.key},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return {hit["id"] for hit in response.json()["hits"]}

    def pages(self, document_id: str) -> list[dict[str, object]]:
        response = httpx.get(
            f"{self.base}/api/v1/documents/{document_id}/derivatives/text",
            headers={"X-API-Key": self.key},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return list(response.json()["pages"])


@pytest.fixture
def site(services: Services, stack: str) -> Iterator[Site]:
    """A real ``bunko serve`` (and, on the scale stack, a ``bunko worker``)."""
    org(services)
    with serving(services, stack) as server:
        yield Site(server.base, key_for(services, "somu"))


def test_a_japanese_scan_is_found_by_phrases_typed_without_spaces(site: Site) -> None:
    """GIVEN a scanned Japanese page WHEN it is OCRed THEN its stored text has no spaces
    between Japanese characters and quoted phrases, spaced or not, find it."""
    scan = site.upload(
        "scan.png", scan_png(CONTRACT_LINES, skew_deg=0.5, blur=0.3, noise=0.002, size_pt=14)
    )
    (page,) = site.pages(scan)
    assert page["method"] == "ocr"
    assert "株式会社サンプル" in str(page["text"])
    for query in ('"業務委託契約書"', '"総務局と株式会社"', '"株式会社 サンプル"', "市役所総務"):
        assert site.search(query) == {scan}, query


def test_dates_amounts_and_english_words_are_found_in_any_form(site: Site) -> None:
    """GIVEN documents printing one date and amount each in different forms WHEN searched in
    other forms THEN all are found; English words match words, not parts of words."""
    era = site.upload("era.txt", "契約日 令和6年4月1日\n委託料 金3,300,000円".encode())
    english = site.upload("en.txt", b"Signed on April 1, 2024 for JPY 3300000 by AWS.")
    laws = site.upload("laws.txt", b"The laws of the city, 31/12/2017, party of the art museum.")
    for query in ("2024/04/01", "R6.4.1", '"1 April 2024"', "２０２４年４月１日"):
        assert site.search(query) == {era, english}, query
    for query in ("3,300,000", "¥3300000", "3300000円"):
        assert site.search(query) == {era, english}, query
    assert site.search("2017-12-31") == {laws}
    assert site.search("aws") == {english}
    assert site.search("art") == {laws}
    assert site.search("sign") == {english}  # stemmed: signed


def test_a_pdf_whose_text_layer_is_garbage_is_ocred_and_says_why(site: Site) -> None:
    """GIVEN a PDF whose fonts have no usable Unicode map WHEN it is processed THEN the page
    is read by OCR, the reason is recorded on the page, and its words are searchable."""
    broken = site.upload("broken.pdf", broken_unicode_pdf(CONTRACT_LINES))
    (page,) = site.pages(broken)
    assert page["method"] == "ocr"
    assert str(page["reason"]).startswith("text layer unusable")
    assert site.search('"株式会社サンプル"') == {broken}


def test_a_contract_gets_its_signing_date_and_amount_not_its_term_start(site: Site) -> None:
    """GIVEN a contract signed 令和7年3月5日 for a term from 令和7年4月1日 with an OCR-split amount
    WHEN it is processed THEN the signing date is the document's date, said to be read from
    the text, and the date filter finds it."""
    contract = site.upload(
        "keiyaku.txt",
        (
            "業務委託契約書\n大阪市\n（以下「甲」という。）と株式会社テスト（以下「乙」という。）は、"
            "次のとおり契約を締結する。\n第1条 契約期間 令和7年4月1日から令和8年3月31日まで\n"
            "第2条 契約金額 金1,233, 760円\n令和7年3月5日\n甲 大阪市長\n乙 株式会社テスト 代表取締役\n"
        ).encode(),
    )
    detail = httpx.get(
        f"{site.base}/api/v1/documents/{contract}", headers={"X-API-Key": site.key}, timeout=30
    ).json()
    assert detail["doc_type"] == "contract"
    assert detail["document_date"] is None
    assert detail["effective_date"] == "2025-03-05"
    assert detail["effective_date_source"] == "field:agreement_date"
    fields = {f["name"]: f["value"] for f in detail["fields"]}
    assert fields["value"] == "1233760" and fields["term_start"] == "2025-04-01"
    assert contract in site.search("date:2025-03-05")
    assert contract not in site.search("date:2025-04-01")


QUOTATION = """御見積書
株式会社みなと設備 御中
登録番号 T1234567890123
下記のとおりお見積り申し上げます。見積有効期限 令和7年6月30日
品名 数量 単価 金額
LED照明器具 10 12,000 120,000
小計 120,000円 消費税(10%) 12,000円 合計 132,000円
"""
NDA = """秘密保持契約書
大阪市（以下「甲」という。）と株式会社サンプル（以下「乙」という。）は、相互に開示する秘密情報の取扱いについて、次のとおり契約を締結する。
第1条 乙は秘密情報を第三者に開示又は漏洩してはならない。
"""


def test_a_document_shows_its_subtype(site: Site, services: Services) -> None:
    """GIVEN a quotation carrying amounts and a T-number, and an NDA, uploaded over HTTP
    WHEN the worker classifies them THEN the API gives class and subtype (a quotation is
    not an invoice) and the document page names the subtype in Japanese and English."""
    quotation = site.upload("quotation.txt", QUOTATION.encode())
    nda = site.upload("nda.txt", NDA.encode())
    for document_id, expected in ((quotation, ("other", "quotation")), (nda, ("contract", "nda"))):
        body = httpx.get(
            f"{site.base}/api/v1/documents/{document_id}",
            headers={"X-API-Key": site.key},
            timeout=30,
        ).json()
        assert (body["doc_type"], body["subtype"]) == expected
    person(services, "kiroku", "somu")
    with httpx.Client(base_url=site.base, timeout=30) as browser:
        sign_in(browser, "kiroku")  # type: ignore[arg-type]
        ja = browser.get(f"/documents/{quotation}", headers={"Accept-Language": "ja"})
        en = browser.get(f"/documents/{nda}", headers={"Accept-Language": "en"})
    assert ja.status_code == en.status_code == 200
    assert '<dd class="subtype">見積書</dd>' in ja.text
    assert '<dd class="subtype">Non-disclosure agreement</dd>' in en.text


# Documents written by others, in words the training generator never used: a US tax form
# and a German federal gazette page (public records), a scanned bank statement (other).
OUTSIDE_DOCUMENTS = (
    ("public/en_irs_form-1040nr_2007.pdf", "public"),
    ("public/de_bmi_gmbl-2008-52_p1092.pdf", "public"),
    ("scans/en_tesseractjs_bank-statement.png", "other"),
)


def test_outside_documents_get_their_class_through_the_front_door(site: Site) -> None:
    """GIVEN a tax form, a gazette page and a scanned bank statement from the corpus WHEN
    uploaded over HTTP and processed by the worker THEN the API gives each the class its
    manifest records (the kind named by the label vocabulary, a statement is no invoice)."""
    for name, expected in OUTSIDE_DOCUMENTS:
        path = CORPUS / name
        document_id = site.upload(path.name, path.read_bytes())
        body = httpx.get(
            f"{site.base}/api/v1/documents/{document_id}",
            headers={"X-API-Key": site.key},
            timeout=30,
        ).json()
        assert body["doc_type"] == expected, (name, body["doc_type"], body.get("subtype"))
