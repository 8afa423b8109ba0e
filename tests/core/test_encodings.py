"""Legacy encodings are detected (not assumed) and decode back to the original text."""

from __future__ import annotations

import random
import time

import pytest

from reader.core.encoding import decode, detect_encoding

# -- realistic news paragraphs (a few hundred characters each) -------------

ZH = (
    "新华社北京9月13日电 工业和信息化部近日召开“屏蔽网址链接问题”行政指导会，要求各平台按标准解除屏蔽，否则将依法处置。"
    "会议指出，保障合法网址链接正常访问，是互联网发展的基本要求。腾讯、阿里巴巴、字节跳动、百度、华为、小米、陌陌、360和网易等企业参加了会议。"
    "有关负责人表示，各企业应当在规定时间内完成整改，确保用户可以在即时通信软件中正常打开来自其他平台的链接。"
    "业内人士认为，此举有利于打破“围墙花园”，促进互联网互联互通，提升用户体验，同时也将对平台之间的竞争格局产生深远影响。"
    "分析师预计，相关公司的股价短期内可能出现波动。\n"
)
# Characters GBK lacks: the euro sign and 𠮷 (a four-byte GB18030 sequence).
ZH_GB18030_ONLY = (
    "据《人民日报》报道，国家统计局15日发布数据显示，8月份社会消费品零售总额同比增长2.5%，增速比上月回落6.0个百分点。"
    "统计局新闻发言人表示，受局部地区疫情和汛情影响，接触型消费恢复放缓，但网上零售保持较快增长。"
    "日本连锁餐饮企业𠮷野家在华门店的客流量也有所下降，部分套餐价格上调至每份5€左右的水平。"
    "专家指出，随着疫情得到控制，消费有望逐步回暖，下一步应继续落实减税降费政策，稳定就业，增加居民收入，释放消费潜力。\n"
)
ZH_TW = (
    "【中央社台北13日電】經濟部今天公布最新統計，八月外銷訂單金額達五百五十億美元，較去年同期成長百分之二十五，"
    "連續十八個月正成長，創歷年同月新高。經濟部統計處表示，受惠於遠距商機持續、新興科技應用擴展，以及傳統產業需求回溫，"
    "資訊通信、電子產品及基本金屬等主要貨品接單均呈現雙位數成長。不過，全球供應鏈瓶頸尚未完全紓解，"
    "疫情變化與原物料價格走勢仍存在不確定性，廠商對第四季景氣看法轉趨審慎。"
    "統計處預估，九月外銷訂單金額將介於五百四十億至五百五十五億美元之間。\n"
)
JA = (
    "東京証券取引所は十三日、システム障害の影響で全銘柄の売買を終日停止したと発表した。"
    "取引所によると、株価などの情報を配信するシステムに不具合が見つかり、午前九時の取引開始に間に合わなかったという。"
    "終日にわたって売買が停止されるのは、一九九九年に取引が完全にシステム化されて以来初めてとなる。"
    "金融庁は取引所に対し、原因の究明と再発防止策の報告を求めた。市場関係者からは「投資家の信頼を損なう深刻な事態だ」との声が上がっている。"
    "取引所の社長は記者会見で謝罪し、翌日の取引再開を目指して復旧作業を急いでいると述べた。\n"
)
RU = (
    "Центральный банк России в пятницу повысил ключевую ставку на 25 базисных пунктов, до 6,75% годовых, "
    "сообщила пресс-служба регулятора. Решение совпало с ожиданиями большинства аналитиков, опрошенных агентством. "
    "В банке отметили, что инфляция складывается выше прогноза, а инфляционные ожидания населения и бизнеса "
    "остаются на повышенном уровне. По оценкам экономистов, годовая инфляция в августе ускорилась до 6,7%, "
    "что стало максимумом за последние пять лет. Регулятор допустил дальнейшее повышение ставки на ближайших заседаниях. "
    "Следующее заседание совета директоров запланировано на 22 октября.\n"
)
FR = (
    "Le gouvernement français a annoncé jeudi un plan d’aide de 2,5 milliards d’euros pour les restaurateurs et les "
    "hôteliers, durement touchés par la crise sanitaire. « C’est un soutien massif et immédiat », a déclaré le ministre "
    "de l’Économie, qui a précisé que les entreprises pourraient recevoir jusqu’à 200 000 € chacune. Les représentants "
    "du secteur ont salué une mesure « nécessaire », tout en regrettant des délais de versement trop longs. Selon "
    "l’Insee, près d’un établissement sur cinq pourrait fermer définitivement d’ici la fin de l’année – un chiffre qui "
    "inquiète les élus locaux, notamment à Marseille et à Nice.\n"
)
DE = (
    "Die Bundesregierung hat am Donnerstag ein neues Förderprogramm für kleine und mittlere Unternehmen beschlossen. "
    "Wirtschaftsminister Müller sagte in Berlin, die Hilfen sollten schnell und unbürokratisch ausgezahlt werden. "
    "Betriebe, deren Umsätze um mehr als dreißig Prozent gesunken sind, können Zuschüsse für ihre Fixkosten beantragen. "
    "Kritiker bemängeln jedoch, dass die Antragsfristen zu kurz seien und größere Familienunternehmen leer ausgingen.\n"
)
ES = (
    "El Gobierno español aprobó el jueves un paquete de ayudas de 2.000 millones de euros para las pequeñas empresas. "
    "La ministra de Economía señaló que el dinero llegará antes de que termine el año y que las solicitudes podrán "
    "presentarse por internet. Los sindicatos calificaron la medida de «insuficiente».\n"
)

PARAGRAPHS = [
    pytest.param(ZH, "gb18030", id="gb18030"),
    pytest.param(ZH_GB18030_ONLY, "gb18030", id="gb18030-beyond-gbk"),
    pytest.param(ZH, "gbk", id="gbk"),
    pytest.param(ZH, "gb2312", id="gb2312"),
    pytest.param(ZH_TW, "big5", id="big5"),
    pytest.param(JA, "shift_jis", id="shift-jis"),
    pytest.param(JA, "cp932", id="cp932"),
    pytest.param(JA, "euc_jp", id="euc-jp"),
    pytest.param(RU, "cp1251", id="windows-1251"),
    pytest.param(RU, "koi8_r", id="koi8-r"),
    pytest.param(FR, "cp1252", id="windows-1252-french"),
    pytest.param(DE, "latin-1", id="latin-1-german"),
    pytest.param(DE, "cp1252", id="windows-1252-german"),
    pytest.param(ES, "latin-1", id="latin-1-spanish"),
]

# -- one-liners: much harder, little for statistics to go on -----------------

LINES = [
    pytest.param("腾讯和阿里巴巴被要求停止屏蔽链接。", "gbk", id="gbk"),
    pytest.param("腾讯和阿里巴巴被要求停止屏蔽链接。", "gb18030", id="gb18030"),
    pytest.param("国家统计局：8月社会消费品零售总额同比增长2.5%", "gbk", id="gbk-headline"),
    pytest.param("經濟部公布八月外銷訂單創新高。", "big5", id="big5"),
    pytest.param("東京証券取引所は終日売買を停止した。", "shift_jis", id="shift-jis"),
    pytest.param("東京証券取引所は終日売買を停止した。", "euc_jp", id="euc-jp"),
    pytest.param("Центробанк повысил ключевую ставку до 6,75%.", "cp1251", id="windows-1251"),
    pytest.param("Café owners say the new “tax” costs €1,200 a year.", "cp1252", id="windows-1252"),
    pytest.param("Die Größe der Straße überrascht.", "latin-1", id="latin-1"),
    pytest.param("El Gobierno español aprobó el jueves un paquete de ayudas.", "latin-1", id="latin-1-spanish"),
]


@pytest.mark.parametrize("text, encoding", PARAGRAPHS)
def test_paragraphs_decode_back(text, encoding):
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("text, encoding", LINES)
def test_single_lines_decode_back(text, encoding):
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("text", [ZH, JA, RU, FR, "腾讯和阿里巴巴被要求停止屏蔽链接。", "plain ASCII line"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"])
def test_unicode_encodings(text, encoding):
    data = text.encode(encoding)
    if encoding.startswith("utf-16"):
        data = ("\ufeff" + text).encode(encoding)  # with a BOM
    assert decode(data) == text


def test_detection_is_not_assumption():
    # The same detector answers differently for different bytes.
    assert detect_encoding(ZH.encode("gbk")) == "gb18030"
    assert detect_encoding(ZH_TW.encode("big5")) in ("big5", "cp950")
    assert detect_encoding(JA.encode("euc_jp")) in ("euc_jp", "euc_jis_2004")
    assert detect_encoding(RU.encode("cp1251")) == "cp1251"
    assert detect_encoding(FR.encode("cp1252")) == "cp1252"


def test_large_file_decodes_quickly():
    text = ZH * 20000  # about 10 MB in GBK: only a prefix is examined
    data = text.encode("gbk")
    started = time.perf_counter()
    assert decode(data) == text
    assert time.perf_counter() - started < 5.0


def test_mostly_ascii_with_stray_bytes_is_still_text():
    out = decode(b"Plain English text with a stray \x81 byte and \x9d another one in it.")
    assert out is not None and out.startswith("Plain English text with a stray ")


# -- binary content is refused ---------------------------------------------


def test_random_bytes_are_binary():
    rng = random.Random(7)
    assert decode(rng.randbytes(4096)) is None
    no_nul = bytes(b for b in rng.randbytes(8192) if b)[:4096]
    assert decode(no_nul) is None
    high = bytes(rng.randrange(0x80, 0x100) for _ in range(4096))
    assert decode(high) is None


def test_png_is_binary():
    rng = random.Random(8)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + rng.randbytes(2000)
    assert decode(png) is None


def test_nul_bytes_are_binary():
    assert decode(b"\x00\x00\x00") is None
    assert decode(b"looks like text\x00but has a NUL") is None
    assert decode(ZH.encode("gbk") + b"\x00\x01\x02") is None


def test_utf8_cut_mid_character_stays_utf8():
    text = "腾讯和阿里巴巴 Tencent and Alibaba were told to stop blocking links. " * 5
    data = text.encode("utf-8")[:-1]  # the last character is cut in half
    decoded = decode(data)
    assert decoded == text[:-1] or decoded == text.rstrip()[:-1] or decoded.startswith(text[:-2])
    assert "腾讯" in decoded


def test_utf8_with_one_bad_byte_stays_utf8():
    text = "Регулятор потребовал прекратить блокировку ссылок. " * 10
    data = text.encode("utf-8")
    data = data[:100] + b"\xff" + data[100:]
    decoded = decode(data)
    assert "Регулятор" in decoded and decoded.count("\ufffd") == 1
