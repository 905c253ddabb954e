"""The document-type model: subtypes rolled up to classes, held-out accuracy, the model file."""

from __future__ import annotations

import json
import random
from collections import Counter
from functools import cache

import pytest

from archive import ClassifierModel
from ingest.classifier_store import active_model
from ingest.classify import SUBTYPES, Model, class_of, default_model
from ingest.classify.features import MAX_CHARS, labels, normal_form, shapes, skeleton, terms
from ingest.classify.generate import (
    _POOLS,
    _SPECS,
    ADDED,
    _held_halves,
    _sides,
    document,
    documents,
    documents_in,
    language,
)
from ingest.classify.model import MAX_MODEL_BYTES
from ingest.classify.training import train
from web.services import Services

# What the shipped model reaches on this held-out sample (seven languages, OCR noise,
# short slips, bank statements, tax returns, registers: 90.5% subtype, 96.6% class when
# written; the model before compound heads and the wider label vocabulary 89.0% and
# 95.8% on the same sample), less a margin so that retraining after a small change is
# not a failure.
HELD_OUT_SUBTYPE_ACCURACY = 0.85
HELD_OUT_CLASS_ACCURACY = 0.93
# The weakest subtype may be much harder (notices, announcements and gazettes, 9 of 12
# when written; forms 8 of 12 with the model before, 2 of 12 before their pools were widened).
HELD_OUT_WORST_SUBTYPE = 0.5


@pytest.mark.parametrize(
    ("text", "label", "subtype"),
    [
        (
            "適格請求書 登録番号 T7000012050002 ご請求金額 ¥110,000 お支払期限 令和6年5月31日",
            "invoice",
            "invoice",
        ),
        (
            "Invoice No. 1042. Subtotal $900.00, tax $72.00, total due $972.00 by April 30.",
            "invoice",
            "invoice",
        ),
        (
            "領収書 山田太郎 様 金額 ¥5,500- 但し 書籍代として 上記正に領収いたしました。",
            "invoice",
            "receipt",
        ),
        (
            "業務委託契約書 東京都（以下「甲」という。）と株式会社サンプル（以下「乙」という。）は契約を締結する。",
            "contract",
            "contract",
        ),
        (
            "秘密保持契約書 甲及び乙は、相手方から開示された秘密情報を第三者に開示してはならない。",
            "contract",
            "nda",
        ),
        (
            "大市総第123号 令和6年4月1日 各所属長 様 総務局長 文書事務の手引の改正について（通知） このことについて、下記のとおり通知します。",
            "public",
            "notice",
        ),
        (
            "Minutes of the City Council regular meeting. Roll call. Public comments. Motion carried.",
            "public",
            "minutes",
        ),
        # Hard negatives: amounts, tax and a registration number, but not a bill.
        (
            "御見積書 株式会社みなと 御中 登録番号 T1234567890123 下記のとおりお見積り申し上げます。"
            "見積有効期限 令和6年6月30日 小計 100,000円 消費税 10,000円 合計 110,000円",
            "other",
            "quotation",
        ),
        (
            "納品書 登録番号 T1234567890123 下記のとおり納品いたします。納品日 令和6年5月1日 "
            "品名 数量 単価 金額 コピー用紙 10 500 5,000 合計 5,500円 受領印",
            "other",
            "delivery_note",
        ),
        (
            "Our new catalogue: garden furniture, summer sale, free delivery on orders today.",
            "other",
            "other",
        ),
        # A bank statement carries dates, amounts and an IBAN, but bills nobody.
        (
            "Kontoauszug Nr. 7 IBAN DE12 5001 0517 0648 4898 90 Alter Kontostand 2.310,55 EUR "
            "04.03.2024 Lastschrift Stadtwerke -84,20 05.03.2024 Gutschrift Gehalt 3.120,00 "
            "Neuer Kontostand 5.346,35 EUR",
            "other",
            "other",
        ),
        # A tax return a government issues is a public record, blanks and all.
        (
            "Form 1040 U.S. Individual Income Tax Return Department of the Treasury Internal "
            "Revenue Service OMB No. 1545-0074 Filing status [ ] Single Line 11 Adjusted gross "
            "income. Under penalties of perjury, I declare that I have examined this return.",
            "public",
            "public",
        ),
        (
            "Amtsblatt des Landes Ausgabe 12 Jahrgang 31 Inhalt Bekanntmachung vom 04.11.2024 "
            "Rundschreiben Verwaltungsvorschrift zur Durchführung Berichtigung",
            "public",
            "gazette",
        ),
    ],
)
def test_clear_examples(text: str, label: str, subtype: str) -> None:
    prediction = default_model().predict(text)
    assert (prediction.label, prediction.subtype) == (label, subtype)
    assert class_of(prediction.subtype) == prediction.label
    assert prediction.confidence > 0.4
    assert prediction.top_features  # the reason


def test_held_out_generated_documents_are_typed_right() -> None:
    """GIVEN generated documents of the held-out split (phrasings the model never saw)
    WHEN the shipped model types them THEN subtype and class accuracy stay above the bar."""
    model = default_model()
    heldout = documents("heldout", 12, seed=7)
    hits: Counter[str] = Counter()
    class_hits = 0
    for text, subtype in heldout:
        prediction = model.predict(text)
        hits[subtype] += prediction.subtype == subtype
        class_hits += prediction.label == class_of(subtype)
    assert set(hits) == set(SUBTYPES)
    assert sum(hits.values()) / len(heldout) >= HELD_OUT_SUBTYPE_ACCURACY
    assert class_hits / len(heldout) >= HELD_OUT_CLASS_ACCURACY
    assert min(hits.values()) / 12 >= HELD_OUT_WORST_SUBTYPE


def test_every_variety_of_a_subtype_is_generated() -> None:
    """GIVEN a subtype written in several varieties in a language (a statement and a
    brochure are both ``other``) WHEN documents are generated THEN each variety's titles
    turn up, and only titles of that subtype's varieties."""
    several = [
        (s, lang, v) for s, langs in _SPECS.items() for lang, v in langs.items() if len(v) > 1
    ]
    assert {"other", "public", "gazette"} <= {s for s, _, _ in several}
    for subtype, lang, varieties in several:
        rng = random.Random(subtype + lang)
        texts = [document(subtype, rng, "train", lang) for _ in range(12 * len(varieties))]
        for spec in varieties:
            titles = [t for t in spec.titles if "{" not in t]
            assert any(t.casefold() in x.casefold() for t in titles for x in texts), spec.titles


def test_the_splits_do_not_share_documents() -> None:
    train_texts = {text for text, _ in documents("train", 30)}
    assert not train_texts & {text for text, _ in documents("heldout", 30)}


def test_empty_text_is_other() -> None:
    prediction = default_model().predict("")
    assert (prediction.label, prediction.subtype) == ("other", "other")
    assert prediction.top_features == ()


def test_json_round_trip_predicts_the_same() -> None:
    model = default_model()
    restored = Model.from_json(model.to_json())
    assert restored.version == model.version
    text = "請求書 合計 13,200円"
    assert restored.predict(text) == model.predict(text)


def test_training_is_deterministic_and_learns_corrections() -> None:
    base = documents("train", 4)
    corrections = [("議会だより 第45号 市議会の動き 一般質問", "public")] * 3
    first = train([*base, *corrections], c=1.0)
    assert first.version == train([*base, *corrections], c=1.0).version
    assert first.predict("議会だより 第46号 一般質問").label == "public"


def test_training_refuses_unknown_labels() -> None:
    with pytest.raises(ValueError, match="unknown labels"):
        train([("text", "memo"), ("other text", "invoice")])
    with pytest.raises(ValueError, match="two labels"):
        train([("text", "invoice"), ("more text", "invoice")])


@cache
def _shipped_json() -> str:
    return default_model().to_json()


def _shipped() -> dict[str, object]:
    raw = json.loads(_shipped_json())
    assert isinstance(raw, dict)
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: {"format": "pickle"}, "not a"),
        (lambda m: [1, 2, 3], "not a"),
        (lambda m: m | {"labels": []}, "non-empty"),
        (lambda m: m | {"labels": ["invoice", "invoice"]}, "without repeats"),
        (lambda m: m | {"labels": ["__import__('os')", "invoice"]}, "unknown labels"),
        (lambda m: m | {"bias": {"invoice": 1.0}}, "one number per label"),
        (lambda m: m | {"bias": "rm -rf /"}, "must be an object"),
        (lambda m: m | {"idf": {"請求": -1.0}}, "positive"),
        (lambda m: m | {"idf": {"請求": "1"}}, "not a number"),
        (
            lambda m: m | {"weights": {"not in vocabulary": {"invoice": 1.0}}},
            "outside the vocabulary",
        ),
        (lambda m: m | {"weights": {"請求": {"memo": 1.0}}}, "unknown labels"),
        (lambda m: m | {"weights": {"請求": {"invoice": True}}}, "not a number"),
        (lambda m: m | {"examples": -1}, "a count"),
        (lambda m: m | {"examples": "many"}, "a count"),
    ],
)
def test_loader_rejects_malformed_models(change: object, message: str) -> None:
    """GIVEN a model file altered by mistake or malice WHEN loaded THEN a ValueError says why."""
    assert callable(change)
    with pytest.raises(ValueError, match=message):
        Model.from_json(json.dumps(change(_shipped())))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not JSON"),
        (b"\xff\xfe\x00garbage", "not JSON"),
        (b"{" * 200_000, "not JSON"),  # nesting that would blow the stack
        ('{"format": NaN}', "not a number"),
        (b"x" * (MAX_MODEL_BYTES + 1), "larger than"),
    ],
)
def test_loader_rejects_what_is_not_a_model(data: str | bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Model.from_json(data)


def test_loader_rejects_non_finite_weights() -> None:
    raw = _shipped()
    feature = next(iter(raw["weights"]))  # type: ignore[call-overload]
    text = json.dumps(raw).replace(f'"{feature}": {{', f'"{feature}": {{"invoice": Infinity, ', 1)
    with pytest.raises(ValueError, match=r"not a number|not finite"):
        Model.from_json(text)


def _hand_made(weights: dict[str, dict[str, float]], bias: dict[str, float]) -> Model:
    labels = ("invoice", "notice", "report", "announcement", "quotation", "other")
    return Model(
        labels, {k: bias.get(k, 0.0) for k in labels}, dict.fromkeys(weights, 1.0), weights, 0
    )


def test_the_most_likely_subtype_decides_the_class() -> None:
    """GIVEN evidence for an invoice (34%) a little stronger than for each of three public
    subtypes (21% each, 62% together) WHEN typed THEN an invoice, not the class that has
    the most subtypes to add up."""
    weights = {"aa": {"invoice": 2.0, "notice": 1.5, "report": 1.5, "announcement": 1.5}}
    prediction = _hand_made(weights, {}).predict("aa")
    assert (prediction.label, prediction.subtype) == ("invoice", "invoice")
    assert prediction.scores["public"] > prediction.scores["invoice"]
    assert prediction.top_features == (("aa", 2.0),)


def test_other_outweighed_by_a_class_gives_that_class() -> None:
    """GIVEN evidence for ``other`` (28%) a little stronger than for each of three public
    subtypes (21-23% each, 64% together) WHEN typed THEN public, with its best subtype:
    ``other`` is an abstention, not a subtype that wins by splitting its rivals."""
    weights = {"cc": {"other": 2.0, "notice": 1.8, "report": 1.7, "announcement": 1.7}}
    prediction = _hand_made(weights, {}).predict("cc")
    assert (prediction.label, prediction.subtype) == ("public", "notice")
    assert prediction.top_features == (("cc", 1.8),)


def test_other_is_kept_when_its_subtypes_outweigh_each_class() -> None:
    """GIVEN evidence for other and quotation (58% together) and a notice (29%) WHEN
    typed THEN other: the abstention stands on positive evidence."""
    weights = {"dd": {"other": 2.0, "quotation": 1.8, "notice": 1.9}}
    prediction = _hand_made(weights, {}).predict("dd")
    assert (prediction.label, prediction.subtype) == ("other", "other")
    assert prediction.scores["other"] > prediction.scores["public"]


def test_a_text_with_no_evidence_for_any_type_is_other() -> None:
    """GIVEN a text whose only feature speaks against every type, the bias favouring
    invoices WHEN typed THEN other, with no reason given."""
    weights = {"bb": {"invoice": -1.0, "notice": -1.0, "report": -1.0}}
    prediction = _hand_made(weights, {"invoice": 2.0}).predict("bb")
    assert (prediction.label, prediction.subtype, prediction.top_features) == ("other", "other", ())


def test_character_pieces_carry_across_languages_and_misreadings() -> None:
    """GIVEN the invoice word of four languages and an OCR misreading WHEN featurised
    THEN they share character pieces (what lets a language never trained on be read)."""
    pieces = [
        {t for t in terms(word) if t.startswith("~")} for word in ("fattura", "factura", "factuur")
    ]
    assert "~<fa" in set.intersection(*pieces)
    assert len({t for t in terms("lnvoice") if t.startswith("~")} & set(terms("invoice"))) >= 8
    assert terms("Name: ____ [ ] yes □ no").count("#blank") == 3


def test_held_out_phrasings_are_never_trained_on() -> None:
    """GIVEN every pool of the generator WHEN split THEN the held-out side shares no item
    with the training side, and both sides have items (a pool of one is shared)."""
    pools = [tuple(v) for v in _POOLS.values()]
    for langs in _SPECS.values():
        pools.extend(
            tuple(pool)
            for varieties in langs.values()
            for spec in varieties
            for pool in (spec.titles, spec.heads, spec.body)
        )
    for pool in pools:
        train_side, held = _sides(pool)
        if len(pool) > 1:
            assert train_side and held and not set(train_side) & set(held)
            assert set(train_side) | set(held) == set(pool)


def test_the_active_model_is_the_latest_version_parsed_once(services: Services) -> None:
    """GIVEN a trained version stored WHEN documents ask for the model THEN they get that
    version's model, parsed once; a newer version (or another database) replaces it."""
    shipped = default_model()

    def store(version: int) -> None:
        with services.sessions.begin() as session:
            session.add(
                ClassifierModel(
                    version=version,
                    examples=1,
                    corrections=0,
                    model_json=shipped.to_json(),
                    created_by="test",
                )
            )

    with services.sessions() as session:
        assert active_model(session).version == 0
    store(1)
    with services.sessions() as session:
        first, again = active_model(session), active_model(session)
    assert first.version == again.version == 1
    assert again.model is first.model and first.model is not shipped
    store(2)
    with services.sessions() as session:
        latest = active_model(session)
    assert latest.version == 2 and latest.model is not first.model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Faktura VAT nr 12/2024 Razem brutto 1 230,00 zł VAT 23% NIP PL5261040828 "
            "PL61 1090 1014 0000 0712 1981 2874",
            {"#amount", "#rate", "#vatid", "#iban"},
        ),
        ("Items: paper, toner, staples, folders. Total 1,230.00 €", {"#amount$"}),
        ("Rechnung vom 03.05.2024, fällig 17.05.2024, Lieferung 01.05.2024", {"#date>=3"}),
        ("ROZSUDEK Sp. zn. 12 C 345/2023 Obvodní soud", {"#case"}),
        ("（令和6年(行ウ)第12号）判決", {"#case"}),
        ("第3条（契約期間） § 5 Art. 7 Artykuł 2", {"#article>=3"}),
        ("Between Acme („Auftraggeber“) and Beta (the “Supplier”)", {"#party"}),
        ("（以下「甲」という。）", {"#party"}),
        ("Bundesgesetzblatt Nr. 45 Vol. 88", {"#issue"}),
        ("제3조(계약기간) 제 5 조 제12조 관보 제20345호", {"#article>=3", "#issue"}),
        ("申込書 氏名 ＿＿＿＿ □はい □いいえ", {"#blank"}),
    ],
)
def test_shapes_read_evidence_without_vocabulary(text: str, expected: set[str]) -> None:
    """GIVEN a document's fragment in any language WHEN featurised THEN the shapes it
    carries (amounts, rates, IBAN, VAT ID, dates, case, article and issue numbers,
    defined parties, blanks) are terms, whatever its words."""
    assert expected <= set(shapes(normal_form(text)))
    assert expected <= set(terms(text))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "1" * 200_000,
        "123 " * 50_000,
        "(“" * 50_000,
        "第" * 50_000,
        "\x00\ufffd" * 1000,
        "請求" * 100_000,
        "tax " * 50_000,
        "vertrag" * 30_000,  # one word as long as the page, ending in an entry
    ],
)
def test_shapes_of_hostile_text_are_bounded(text: str) -> None:
    """GIVEN empty, huge or degenerate text WHEN featurised THEN only its first
    ``MAX_CHARS`` are read and nothing of it is taken for a shape it is not."""
    found = shapes(normal_form(text))
    assert len(found) <= MAX_CHARS
    assert not {"#amount", "#iban", "#vatid", "#date", "#case", "#party"} & set(found)
    assert skeleton(text).count("\n") <= MAX_CHARS
    assert len(labels(normal_form(text))) <= MAX_CHARS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rechnungsnummer 12, zahlbar bis 31.05.", ["@invoice", "@due"]),
        ("FACTUUR  Totaal te betalen", ["@invoice", "@total", "@due"]),
        ("세금계산서를 발행합니다", ["@invoice"]),
        ("增值税专用发票 合计", ["@invoice", "@total"]),
        ("Relevé de compte — solde créditeur", ["@statement", "@statement"]),
        ("Amtsblatt  Bekanntmachung", ["@gazette", "@announcement"]),
        ("Dear Sir or Madam, ... Yours faithfully", ["@salutation", "@salutation"]),
        ("Mit freundlichen Grüßen", ["@salutation"]),  # ß folds to ss, as the text does
        ("amount\ndue on receipt", ["@due", "@receipt"]),  # a phrase broken over lines
        ("according to the accordion, taxonomy, totally", []),  # no word starts a label
        # a compound's head is its last part (Mietvertrag-es, jaarverslag); Sitzungsprotokoll
        # starts with one concept and ends with another
        ("Mietvertrages Sitzungsprotokoll", ["@meeting", "@contract", "@minutes"]),
        ("jaarverslag", ["@report"]),
        ("Verdrag, Gedicht, Unterricht", []),  # endings that merely look alike
    ],
)
def test_labels_name_a_documents_kind_in_any_language(text: str, expected: list[str]) -> None:
    """GIVEN words that name a kind of document or its parts, in many languages and
    scripts WHEN featurised THEN each is its concept, a whole word or a word's start
    (Rechnungsnummer) or end (Mietvertrag), never the inside of an unrelated word."""
    assert labels(normal_form(text)) == expected
    assert set(expected) <= set(terms(text))


def test_the_skeleton_keeps_only_the_shapes() -> None:
    skeletal = skeleton("Invoice 4711 dated 2024-05-01. Total EUR 1,250.00 incl. 19% VAT")
    assert skeletal.split("\n") == ["2024-05-01", "eur 1,250.00", "19%"]
    assert not {t for t in terms(skeletal) if not t.startswith(("#", "~", "^"))} - {"eur"}


def test_languages_are_left_out_and_splits_kept_apart() -> None:
    """GIVEN the generator WHEN a language is excluded THEN none of its documents is in
    the training split; the development and test halves of a pool are disjoint or the
    same (its held-out items all hashed to one side), and share none with training."""
    excluded = documents("train", 6, exclude=("de",))
    kept = [lang for s in SUBTYPES for i in range(6) if (lang := language(s, i)) != "de"]
    assert len(excluded) == len(kept) < len(documents("train", 6))
    for pool in (tuple(v) for v in _POOLS.values()):
        dev, test = _held_halves(pool)
        assert dev and test and (not set(dev) & set(test) or dev == test)
        if len(pool) > 1:
            assert not (set(dev) | set(test)) & set(_sides(pool)[0])


def test_the_added_languages_are_typed() -> None:
    """GIVEN held-out documents in the languages added with small pools (Portuguese,
    Polish, Swedish, Czech, Chinese, Korean) WHEN typed THEN most get their class (86.9%
    of 2 per subtype when written; 86.4% before the wider label vocabulary, 82% before
    there was one)."""
    docs = [doc for lang in ADDED for doc in documents_in(lang, "heldout", 2)]
    hits = sum(default_model().predict(t).label == class_of(s) for t, s in docs)
    assert hits / len(docs) >= 0.83
