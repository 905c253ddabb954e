"""Short, hand-written examples of document subtypes, trained on with the generated ones.

Written for Bunko, in the styles a Japanese city receives (and some European invoices);
none is taken from the evaluation corpus. Corrections by records officers are added to
these when the model is retrained.
"""

from __future__ import annotations

_SEEDS: dict[str, tuple[str, ...]] = {
    "contract": (
        "業務委託契約書 委託者（以下「甲」という。）と受託者（以下「乙」という。）は、次のとおり業務委託契約を締結する。",
        "第1条（目的）本契約は、甲が乙に対し、システム保守業務を委託し、乙はこれを受託することを目的とする。",
        "第5条（契約期間）本契約の有効期間は、令和6年4月1日から令和7年3月31日までとする。期間満了の1か月前までに申出がないときは、同一条件で1年間更新する。",
        "本契約の成立を証するため、本書2通を作成し、甲乙記名押印の上、各自1通を保有する。",
        "賃貸借契約書 貸主甲と借主乙は、下記物件について賃貸借契約を締結する。賃料は月額150,000円とし、毎月末日までに翌月分を支払う。",
        "工事請負契約書 発注者と受注者は、各々の対等な立場における合意に基づいて、この契約書により工事請負契約を締結する。請負代金額 金12,100,000円",
        "雇用契約書 使用者と労働者は、以下の労働条件により雇用契約を締結する。就業の場所、従事すべき業務の内容、始業及び終業の時刻、賃金、退職に関する事項",
        "労働条件通知書 契約期間 期間の定めなし 就業の場所 本社 業務の内容 事務 休日 土日祝日 賃金 基本給 月給 時間外労働の有無",
        "第12条（損害賠償）乙は、本契約に違反して甲に損害を与えたときは、その損害を賠償しなければならない。第13条（契約の解除）甲は、乙が次の各号のいずれかに該当するときは、本契約を解除することができる。",
        "第15条（管轄裁判所）本契約に関する紛争については、甲の所在地を管轄する地方裁判所を第一審の専属的合意管轄裁判所とする。",
        "基本契約書 個別契約は、注文書及び注文請書の交付により成立するものとする。再委託の禁止 反社会的勢力の排除",
        'THIS AGREEMENT is made and entered into as of the Effective Date by and between the Company and the Consultant (each a "Party" and together the "Parties").',
        "NOW, THEREFORE, in consideration of the mutual covenants and agreements set forth herein, the parties agree as follows.",
        "Term and Termination. This Agreement shall commence on the Effective Date and continue for a period of two (2) years, unless terminated earlier by either party upon thirty days written notice.",
        "Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the State of New York, without regard to its conflict of laws principles.",
        "IN WITNESS WHEREOF, the parties have executed this Agreement by their duly authorized representatives as of the date first written above. Signature Name Title",
        "License Grant. Licensor hereby grants to Licensee a non-exclusive, non-transferable license to use the Licensed Content in the Territory during the Term.",
        "Indemnification. Supplier shall indemnify, defend and hold harmless Customer from any claims arising out of a breach of its warranties. Limitation of liability.",
        "SUPPLY AGREEMENT. Seller agrees to sell and Buyer agrees to purchase the Products at the prices set forth in Exhibit A. Purchase orders shall be subject to the terms of this Agreement.",
        "Services Agreement. Provider will perform the Services described in each Statement of Work. Customer will pay the Fees set out in the Order Form. Entire agreement; amendments must be in writing.",
        "Lease Agreement between Landlord and Tenant for the premises. Tenant shall pay monthly rent. Assignment and subletting require Landlord's prior written consent.",
        "Employment Agreement. The Employer hereby employs the Employee, and the Employee accepts employment, on the terms and conditions of this Agreement. Compensation, benefits, non-compete.",
        "Vertrag zwischen Auftraggeber und Auftragnehmer. Vertragslaufzeit, Kündigung, Haftung, Gerichtsstand. Contrat de prestation de services entre les parties soussignées.",
    ),
    "nda": (
        "秘密保持契約書 甲及び乙は、相手方から開示された秘密情報を第三者に開示又は漏洩してはならない。",
        "Confidentiality. Each party shall hold the Confidential Information of the disclosing party in strict confidence and shall not disclose it to any third party. Non-Disclosure Agreement",
    ),
    "amendment": (
        "覚書 甲と乙は、令和5年4月1日付け物品売買契約（以下「原契約」という。）の一部を次のとおり変更することに合意する。",
    ),
    "invoice": (
        "請求書 株式会社〇〇 御中 下記のとおりご請求申し上げます。ご請求金額 ¥110,000（税込） お支払期限 令和6年5月31日 振込先 〇〇銀行 普通預金",
        "適格請求書 登録番号 T1234567890123 請求日 2024年4月30日 請求番号 No.2024-0412 小計 100,000円 消費税（10%）10,000円 合計 110,000円",
        "請求書 品名 数量 単価 金額 印刷代一式 1 12,000 12,000 小計 消費税 合計 お振込手数料は貴社にてご負担願います。",
        "御請求書 件名 保守業務委託料（4月分） 請求金額 金330,000円 内消費税額 30,000円 支払期日 翌月末日 振込先口座",
        "納品書兼請求書 取引日 品番 品名 数量 単価 金額 8%対象 10%対象 軽減税率対象品目 税率ごとの合計額",
        "適格請求書発行事業者 登録番号 T9876543210987 税抜金額 税額 税込合計 請求書番号 INV-0012 発行日 令和6年6月10日",
        "請求明細書 ご利用期間 2024年5月1日～5月31日 ご利用料金合計 消費税等 今回ご請求額 口座振替日",
        "支払通知書ではありません。本書は請求書です。お支払いは銀行振込にてお願いいたします。請求元 〇〇商事株式会社",
        "INVOICE Invoice Number: INV-2024-0042 Invoice Date: March 5, 2024 Due Date: April 4, 2024 Bill To: Customer Ltd. Description Qty Unit Price Amount",
        "Subtotal $1,250.00 Tax (8%) $100.00 Total Due $1,350.00 Payment terms: Net 30. Please remit payment to the account below.",
        "Tax Invoice. Invoice total, amount due, balance due. Thank you for your business. Please include the invoice number with your payment.",
        "Billing statement for your account. Charges for services this billing period, VAT, total amount. Payment due upon receipt.",
        "Invoice for hosting services: server rental, domain renewal. Net amount, VAT 19%, gross amount, payable within 14 days.",
        "Order ID, invoice date, shipping address, billing address, product, quantity, price, shipping charges, grand total.",
        "Rechnung Rechnungsnummer Rechnungsdatum Kundennummer Leistungszeitraum Nettobetrag zzgl. MwSt 19% Gesamtbetrag zahlbar bis Bankverbindung IBAN",
        "Facture N° Date de facture Montant HT TVA 20% Montant TTC Net à payer Échéance Conditions de paiement",
        "Factuur Factuurnummer Factuurdatum Totaal excl. BTW BTW 21% Totaal incl. BTW Betaling binnen 14 dagen",
        "Invoice amount payable. Remit to. Account number. Invoice period. Previous balance, payments, new charges, total amount due.",
        "御見積書ではなく請求書となります。合計金額（税込） ¥42,820 うち消費税 ¥3,820 適格請求書",
    ),
    "receipt": (
        "領収書 株式会社〇〇 様 金額 ¥56,160- 但し 印刷代として 上記正に領収いたしました。収入印紙",
        "RECEIPT Payment received with thanks. Receipt No. 0093 Amount paid USD 420.00 Paid by credit card.",
    ),
    "notice": (
        "大市総第123号 令和6年4月1日 各課長 様 大阪市総務局長 文書管理規程の改正について（通知） このことについて、別添のとおり改正したので通知します。",
        "医政発0401第1号 令和6年4月1日 各都道府県知事 殿 厚生労働省医政局長 医療法施行規則の一部改正について 標記について、下記のとおり通知する。",
        "決定通知書 公文書開示決定通知書 令和6年5月20日付けで請求のあった公文書の開示について、次のとおり開示することと決定したので通知します。",
        "事務連絡 令和6年7月1日 各市町村担当課 御中 〇〇県健康福祉部 新型感染症に係る対応について（依頼） 標記について、下記のとおりご協力をお願いします。",
        "厚生労働省 医政局 通知 各都道府県知事 殿 記 1 趣旨 2 内容 3 留意事項 以上",
    ),
    "announcement": (
        "告示 市告示第45号 都市計画法第20条第1項の規定により、都市計画の変更を告示する。令和6年3月15日 市長",
        "公告 入札公告 次のとおり一般競争入札に付します。入札参加資格 入札日時 契約担当者 市長",
        "NOTICE OF PUBLIC HEARING. The City Council will hold a public hearing on the proposed ordinance at City Hall. All interested persons may attend and be heard.",
        "Public notice. Ordinance. Decision of the Planning Commission. Department of Public Works. Official publication of the municipality.",
    ),
    "minutes": (
        "議事録 令和6年第2回定例会 総務委員会 開会 午前10時 出席委員 議題 議案第10号 質疑 討論 採決 閉会",
        "教育委員会会議録 日時 場所 出席者 委員長 教育長 報告事項 協議事項 次回開催予定",
        "MINUTES of the Regular Meeting of the Board of Education. Call to order, roll call, approval of the agenda, public comments, adjournment. Motion carried unanimously.",
    ),
    "public": (
        "条例 〇〇市個人情報保護条例の一部を改正する条例 附則 この条例は、公布の日から施行する。",
        "市政だより 市からのお知らせ 住民票の写しの交付手数料の改定について 市民課",
        "審議会答申 〇〇審議会会長 市長 様 令和6年2月 諮問事項について審議した結果、次のとおり答申します。",
        "一覧表 施設名 所在地 電話番号 対応可能時間 厚生労働省 都道府県別 医療機関 リスト 令和2年",
        "AGENDA. Regular Board Meeting. Pledge of Allegiance. Consent calendar. Reports. Action items. Closed session. Members of the public may address the Board.",
        "Department of the Treasury Internal Revenue Service. Form, instructions, tax year, taxpayer identification number, filing status, schedule.",
        "Resolution No. 2024-17. A resolution of the City Council adopting the annual budget. Whereas, the Council finds. Now, therefore, be it resolved. Adopted and approved.",
        "Code of Federal Regulations, part 40, section 12. Authority: U.S.C. Agency rule, regulatory flexibility act, paperwork reduction act, executive order, public law.",
        "Board of Trustees regular meeting agenda: call to order, recognition of the public, superintendent's report, consent items, approval of minutes of previous meeting, adjourn. Board members present.",
        "Official form of the Department of Revenue. Instructions for filing the return. Line 1 wages, line 2 taxable interest. Paperwork Reduction Act notice. Sign here under penalties of perjury.",
        "List of designated medical institutions published by the Ministry of Health: facility name, postal code, address, telephone number, website, hours available.",
        "市町村別 指定医療機関一覧 都道府県 施設名 所在地 電話番号 診療科 担当医師名 厚生労働省ホームページにて公表",
        "Bekanntmachung des Bundesministeriums. Rundschreiben. Amtsblatt. Procès-verbal de la séance du conseil municipal. Résolution adoptée. Ordre du jour.",
    ),
    "gazette": (
        "Federal Register / Vol. 88 / Proposed Rules. AGENCY: Department of Transportation. ACTION: Notice of proposed rulemaking. SUMMARY: comments must be received by.",
        "SUMMARY: The agency proposes to amend its regulations. DATES: Comments must be received on or before the date below. ADDRESSES: Submit comments via the docket. FOR FURTHER INFORMATION CONTACT: the Office of the Secretary. SUPPLEMENTARY INFORMATION.",
        "Government gazette. Published by the Ministry of the Interior. Official announcements, circulars, appointments, regulations issued by federal authorities.",
    ),
    "court_filing": (
        "IN THE SUPREME COURT OF THE UNITED STATES. Petitioner v. Respondent. Oral argument. The Court. Justice. Counsel. Transcript of proceedings.",
    ),
    "report": (
        "Report of the Secretary of the Senate. Statement of disbursements, salaries and expenses, office of the senator, fiscal year, appropriations.",
        "Statement of expenditures by payee and purpose for the reporting period: document number, posted date, payee name, obligation, service description, amount, office of the senator.",
        "〇〇市長 様 〇〇市監査委員 監査結果報告書 地方自治法第199条第9項の規定により、監査の結果を次のとおり報告します。",
    ),
    "statistics": (
        "County Registrar-Recorder. Official election results. Precinct, ballots cast, registered voters, measure, candidate, canvass.",
    ),
    "other": (
        "新商品のご案内 このたび弊社では新しいシリーズを発売いたしました。特長 高性能 軽量 カタログ 仕様 価格はお問い合わせください。",
        "社内報 今月の話題 新入社員紹介 部署対抗ソフトボール大会の結果 編集後記",
        "取扱説明書 ご使用の前に この説明書をよくお読みのうえ、正しくお使いください。電源を入れる 設定 故障かな？と思ったら",
        "履歴書 氏名 生年月日 住所 学歴 職歴 資格 志望の動機",
        "研修資料 第1章 はじめに 本資料の目的 演習問題 解答例 まとめ 参考文献",
        "テスト文書 これはテストです。サンプルテキスト あいうえお 表のテスト セル1 セル2",
        "The quick brown fox jumps over the lazy dog. This is sample text to test the scanner and see if it works on all types of file format.",
        "Product brochure. Introducing our new sequencer: powerful features, easy to learn and use, specifications, memory, tracks, tempo, options and accessories.",
        "Chequing account statement. Date, description, withdrawals, deposits, balance. Opening balance, closing balance, interest, service charge.",
        "Meeting notes from the team offsite: brainstorming ideas, action items, next steps, lunch menu and travel arrangements.",
        "User manual. Chapter 1 Getting started. Installation, configuration, troubleshooting, frequently asked questions, index.",
        "Test document with a table. Header row. Cell one, cell two. Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
        "This document has a header and a footer. Section one. Section two without a header of its own. Unicode test: café, naïve, €.",
        "Newsletter. Upcoming events, recipes of the month, photo gallery, community news, subscribe.",
        "Curriculum vitae. Education, work experience, skills, languages, references available on request.",
        "Beautiful is better than ugly. Explicit is better than implicit. Simple is better than complex. Readability counts.",
        "Page 1 Page 2 Page 3 Page 4 Untitled document draft notes",
        "Shopping list: milk, eggs, bread. Remember to call the plumber on Tuesday and pick up the dry cleaning.",
        "Recipe: mix the flour and sugar, add the eggs, bake for thirty minutes. Serves four people.",
        "Sample file for testing the parser. Lorem ipsum. Heading level one. Bullet list item. Footnote reference.",
        "Press release. Company announces quarterly results and new product line. About the company. Media contact.",
    ),
    "form": (
        "会議室予約表 日付 時間 利用者 用途 備考",
        "Research proposal checklist for university projects: ethics approval, data protection, funding source, principal investigator signature.",
    ),
    "letter": (
        "お問い合わせありがとうございます。ご質問の件について、担当者より改めてご連絡いたします。よろしくお願いいたします。",
        "Dear colleague, thank you for your email. I am out of the office until Monday. Best regards.",
    ),
}

SEED_EXAMPLES: tuple[tuple[str, str], ...] = tuple(
    (text, subtype) for subtype, texts in _SEEDS.items() for text in texts
)
