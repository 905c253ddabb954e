"""What invoices call their fields, per language: the label vocabularies the readers match.

    INVOICE_NUMBER.search("Rechnungsnummer: 2024-117")    # a label of any known language
    day_first("Date de facture : 05/03/2024")            # True: a day-first language's label

Each vocabulary maps a language to regular-expression fragments (matched case-insensitively
by the compiled patterns below, except where a fragment says otherwise). Languages: Japanese,
English, German, French, Dutch, Spanish, Italian.
"""

from __future__ import annotations

import re

Vocabulary = dict[str, tuple[str, ...]]

NUMBER: Vocabulary = {
    "ja": (r"請求書?番号", r"請求No\.?", r"伝票番号", r"領収書?番号"),
    "en": (r"Invoice\s*(?:No\.?|Number|#)", r"Inv\.\s*No\.?", r"Bill\s*(?:No\.?|Number)"),
    "de": (r"Rechnungs-?\s*(?:nummer|nr\.?)", r"Rechnung\s*(?:Nr\.?|Nummer)", r"Beleg-?nummer"),
    "fr": (
        r"(?:N[°ºo]|Num[ée]ro)\s*(?:de\s*)?(?:la\s*)?facture",
        r"Facture\s*(?:N[°ºo]\.?|num[ée]ro)",
    ),
    "nl": (r"Factuur\s*-?\s*(?:nummer|nr\.?)",),
    "es": (
        r"(?:N[úu]mero|N[°ºo]\.?)\s*(?:de\s*)?factura",
        r"Factura\s*(?:N[°ºo]\.?|n\.?\s*º|n[úu]m\.?)",
    ),
    "it": (r"(?:Numero|N[°.])\s*(?:della\s*)?fattura", r"Fattura\s*(?:N[°º.]?|n\.|numero)"),
}
ISSUED: Vocabulary = {
    "ja": (r"請求日", r"発行日", r"請求年月日"),
    "en": (r"Invoice\s*Date", r"Date\s*of\s*(?:issue|invoice)", r"Issue\s*Date", r"Billing\s*Date"),
    "de": (r"Rechnungsdatum", r"Belegdatum", r"Ausstellungsdatum", r"Datum\s*der\s*Rechnung"),
    "fr": (
        r"Date\s*(?:de\s*(?:la\s*)?)?facture",
        r"Date\s*d['’]\s*[ée]mission",
        r"Factur[ée]e?\s*le",
    ),
    "nl": (r"Factuurdatum",),
    "es": (r"Fecha\s*(?:de\s*)?(?:la\s*)?factura", r"Fecha\s*de\s*emisi[óo]n"),
    "it": (r"Data\s*(?:della\s*)?fattura", r"Data\s*(?:di\s*)?emissione"),
}
DUE: Vocabulary = {
    "ja": (r"お?支払(?:い)?期[限日]", r"振込期限"),
    "en": (r"Due\s*Date", r"Payment\s*due", r"due\s*by", r"Date\s*due", r"Pay\s*by"),
    "de": (r"zahlbar\s*bis", r"F[äa]lligkeits?datum", r"F[äa]llig\s*am", r"F[äa]lligkeit"),
    "fr": (
        r"Date\s*d['’]\s*[ée]ch[ée]ance",
        r"Date\s*limite\s*de\s*(?:paiement|r[èe]glement)",
        r"[ÉEé]ch[ée]ance",
        r"[àa]\s*payer\s*avant\s*le",
    ),
    "nl": (r"Vervaldatum", r"Uiterste\s*betaaldatum", r"Te\s*betalen\s*v[óo]{1,2}r"),
    "es": (r"Fecha\s*de\s*vencimiento", r"Vencimiento", r"Fecha\s*l[íi]mite\s*de\s*pago"),
    "it": (r"Data\s*(?:di\s*)?scadenza", r"Scadenza", r"Pagamento\s*entro(?:\s*il)?"),
}
TOTAL: Vocabulary = {
    "ja": (r"ご?請求金額", r"ご?請求額", r"税込合計", r"合計金額", r"総合計", r"合\s*計"),
    "en": (
        r"Total\s*(?:Due|Amount|TTC|Payable)?",
        r"Amount\s*(?:Due|Payable)",
        r"Balance\s*Due",
        r"Grand\s*Total",
    ),
    "de": (
        r"Gesamtbetrag",
        r"Rechnungsbetrag",
        r"Endbetrag",
        r"Gesamtsumme",
        r"Brutto(?:betrag|summe)?(?![a-zäöü])",
        r"Zu\s*zahlen(?:der\s*Betrag)?",
    ),
    "fr": (
        r"Montant\s*(?:total\s*)?TTC",
        r"Net\s*[àa]\s*payer",
        r"Total\s*[àa]\s*payer",
        r"(?:Somme|Montant)\s*[àa]\s*payer",
        r"Montant\s*total",
    ),
    "nl": (r"Totaal(?:bedrag)?", r"Te\s*betalen"),
    "es": (r"Importe\s*total", r"Total\s*(?:factura|a\s*pagar)"),
    "it": (
        r"Totale(?:\s*(?:documento|fattura|da\s*pagare))?",
        r"Importo\s*totale",
        r"Netto\s*a\s*pagare",
    ),
}
TAX: Vocabulary = {
    "ja": (r"(?-i:(?:内)?消費税(?:額)?(?:等)?)",),
    "en": (r"Tax", r"VAT", r"GST", r"HST", r"Sales\s*Tax"),
    "de": (r"MwSt\.?", r"USt\.?", r"Mehrwertsteuer", r"Umsatzsteuer"),
    "fr": (r"TVA",),
    "nl": (r"BTW",),
    "es": (r"IVA", r"IGIC"),
    "it": (r"IVA", r"Imposta"),
}
DAY_FIRST = ("de", "fr", "nl", "es", "it")
"""Languages whose numeric dates are day first (05/03/2024 is 5 March)."""


def pattern(vocabulary: Vocabulary, languages: tuple[str, ...] = ()) -> str:
    """One alternation of the vocabulary's fragments (of ``languages``, or of all)."""
    chosen = languages or tuple(vocabulary)
    return "|".join(f for lang in chosen for f in vocabulary.get(lang, ()))


INVOICE_NUMBER = re.compile(pattern(NUMBER), re.IGNORECASE)
ISSUED_DATE = re.compile(pattern(ISSUED), re.IGNORECASE)
DUE_DATE = re.compile(pattern(DUE), re.IGNORECASE)
TOTAL_AMOUNT = re.compile(pattern(TOTAL), re.IGNORECASE)
# A tax label is a word of its own ("Tax", not "Taxi"), never the qualifier of another
# amount ("Total excl. VAT", "Betrag inkl. MwSt", "Montant HT hors TVA").
TAX_AMOUNT = re.compile(
    rf"(?<![A-Za-z])(?<!excl\. )(?<!incl\. )(?<!exkl\. )(?<!inkl\. )(?<!zzgl\. )(?<!ohne )"
    rf"(?<!hors )(?<!sans )(?<!excl )(?<!incl )(?<!inkl )(?<!before )(?<!excluding )"
    rf"(?:{pattern(TAX)})(?![A-Za-z])",
    re.IGNORECASE,
)
_DAY_FIRST_LABELS = re.compile(
    "|".join(pattern(v, DAY_FIRST) for v in (NUMBER, ISSUED, DUE, TOTAL)), re.IGNORECASE
)


def day_first(text: str) -> bool:
    """Whether ``text`` carries a label of a language that writes dates day first."""
    return _DAY_FIRST_LABELS.search(text) is not None
