from __future__ import annotations

import pytest

from ingest.classify import SEED_EXAMPLES, Model, default_model, train


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "適格請求書 登録番号 T7000012050002 ご請求金額 ¥110,000 お支払期限 令和6年5月31日",
            "invoice",
        ),
        (
            "Invoice No. 1042. Subtotal $900.00, tax $72.00, total due $972.00 by April 30.",
            "invoice",
        ),
        (
            "業務委託契約書 東京都（以下「甲」という。）と株式会社サンプル（以下「乙」という。）は契約を締結する。",
            "contract",
        ),
        (
            "This Agreement is entered into by and between Acme Inc. and Beta LLC. Governing law.",
            "contract",
        ),
        (
            "大市総第123号 令和6年4月1日 各所属長 様 総務局長 文書事務の手引の改正について（通知）",
            "public",
        ),
        (
            "Minutes of the City Council regular meeting. Roll call. Public comments. Motion carried.",
            "public",
        ),
        (
            "Our new catalogue: garden furniture, summer sale, free delivery on orders today.",
            "other",
        ),
    ],
)
def test_clear_examples(text: str, label: str) -> None:
    prediction = default_model().predict(text)
    assert prediction.label == label
    assert prediction.confidence > 0.4
    assert prediction.top_features  # the reason


def test_empty_text_is_other() -> None:
    prediction = default_model().predict("")
    assert prediction.label == "other"
    assert prediction.top_features == ()


def test_json_round_trip_predicts_the_same() -> None:
    model = default_model()
    restored = Model.from_json(model.to_json())
    assert restored.version == model.version
    text = "請求書 合計 13,200円"
    assert restored.predict(text) == model.predict(text)


def test_training_is_deterministic_and_learns_corrections() -> None:
    corrections = [("議会だより 第45号 市議会の動き 一般質問", "public")] * 3
    first = train([*SEED_EXAMPLES, *corrections])
    assert first.version == train([*SEED_EXAMPLES, *corrections]).version
    assert first.predict("議会だより 第46号 一般質問").label == "public"


def test_refuses_unknown_labels_and_foreign_json() -> None:
    with pytest.raises(ValueError, match="unknown labels"):
        train([("text", "memo")])
    with pytest.raises(ValueError, match="not a"):
        Model.from_json('{"format": "pickle"}')
