"""Measure outgoing text the way each channel counts it: SMS segments and X weighted length.

Pure Python (no Django) so the editor's live counters and the channel senders share one rule.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from anyascii import anyascii

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "SMS_MULTI_GSM7",
    "SMS_MULTI_UCS2",
    "SMS_SINGLE_GSM7",
    "SMS_SINGLE_UCS2",
    "X_MAX_WEIGHTED",
    "SmsMeasure",
    "XMeasure",
    "measure_sms",
    "measure_x",
    "normalize",
    "to_ascii",
    "x_weighted_length",
]


# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n|\r")


def normalize(text: str) -> str:
    """NFC-normalise and turn CRLF/CR into LF, the form every channel is measured and sent in."""
    return _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))


# --------------------------------------------------------------------------------------
# SMS: GSM 03.38 septets or UCS-2 code units, packed into concatenated segments
# --------------------------------------------------------------------------------------

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "\x0c^{}\\[~]|€"

SMS_SINGLE_GSM7, SMS_MULTI_GSM7 = 160, 153  # septets; a part loses 7 to the UDH
SMS_SINGLE_UCS2, SMS_MULTI_UCS2 = 70, 67  # UTF-16 code units

# Septets per GSM-7 character: extension characters are sent as ESC + char.
_GSM7_SEPTETS = dict.fromkeys(GSM7_BASIC, 1) | dict.fromkeys(GSM7_EXTENSION, 2)


@dataclass(frozen=True)
class SmsMeasure:
    """How an SMS will be sent: `units` are septets (GSM-7) or UTF-16 code units (UCS-2).

    `remaining` is what still fits in the last segment; empty text is 0 segments.
    """

    chars: int
    encoding: str
    units: int
    segments: int
    per_segment: int
    remaining: int


def measure_sms(text: str) -> SmsMeasure:
    """Measure `normalize(text)` as an SMS, packing segments the way phones and SMSCs do.

    An escape sequence or a surrogate pair is never split across segments, so a
    multipart message can hold fewer units than ceil-division suggests.
    """
    text = normalize(text)
    if all(char in _GSM7_SEPTETS for char in text):
        encoding, single, multi = "GSM-7", SMS_SINGLE_GSM7, SMS_MULTI_GSM7
        costs = [_GSM7_SEPTETS[char] for char in text]
    else:
        encoding, single, multi = "UCS-2", SMS_SINGLE_UCS2, SMS_MULTI_UCS2
        costs = [2 if ord(char) > 0xFFFF else 1 for char in text]

    units = sum(costs)
    if units <= single:
        segments = 1 if units else 0
        return SmsMeasure(len(text), encoding, units, segments, single, single - units)
    parts = _pack(costs, capacity=multi)
    return SmsMeasure(len(text), encoding, units, len(parts), multi, multi - parts[-1])


def _pack(costs: list[int], *, capacity: int) -> list[int]:
    """Fill segments greedily with indivisible characters; return each segment's units."""
    parts = [0]
    for cost in costs:
        if parts[-1] + cost > capacity:
            parts.append(0)
        parts[-1] += cost
    return parts


# --------------------------------------------------------------------------------------
# Diacritic-free (ASCII, GSM-7 safe) variant
# --------------------------------------------------------------------------------------

# anyascii already maps đ/Đ to d/D; spelt out because Vietnamese copy depends on it.
_PRE_ASCII = str.maketrans({"đ": "d", "Đ": "D"})
# ASCII that GSM-7 cannot carry: backtick and control characters other than LF/CR/FF/ESC.
_CONTROL_CHARS = [chr(code) for code in (*range(0x20), 0x7F)]
_GSM7_FIXUPS = str.maketrans(
    dict.fromkeys((char for char in _CONTROL_CHARS if char not in _GSM7_SEPTETS), "") | {"`": "'", "\t": " "}
)


def to_ascii(text: str) -> str:
    """Transliterate to plain ASCII that is also GSM-7, e.g. for a diacritic-free SMS."""
    return anyascii(normalize(text).translate(_PRE_ASCII)).translate(_GSM7_FIXUPS)


# --------------------------------------------------------------------------------------
# X (Twitter) weighted length: a port of twitter-text v3 (config "defaults"/version 3)
# --------------------------------------------------------------------------------------

X_MAX_WEIGHTED = 280
_X_SCALE = 100
_X_DEFAULT_WEIGHT = 200
_X_URL_WEIGHT = 23 * _X_SCALE  # transformedURLLength
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_X_INVALID_CHARS = frozenset("\ufffe\ufeff\uffff")


@dataclass(frozen=True)
class XMeasure:
    """Weighted length of a post against the X limit; `remaining` goes negative when over."""

    weighted: int
    max: int
    remaining: int
    valid: bool


def measure_x(text: str) -> XMeasure:
    """Measure a post; like twitter-text it is invalid when empty, too long or has U+FFFE/FEFF/FFFF."""
    text = normalize(text)
    weighted = _x_weighted(text)
    valid = 0 < weighted <= X_MAX_WEIGHTED and _X_INVALID_CHARS.isdisjoint(text)
    return XMeasure(weighted, X_MAX_WEIGHTED, X_MAX_WEIGHTED - weighted, valid)


def x_weighted_length(text: str) -> int:
    """Weighted length as twitter-text v3 counts it: URLs 23, emoji 2, CJK etc. 2, Latin 1."""
    return _x_weighted(normalize(text))


def _x_weighted(text: str) -> int:
    """Weighted length of already normalised text (see `x_weighted_length`)."""
    urls = _url_spans(text)
    emoji = _emoji_spans(text)
    weighted = 0
    index = 0
    while index < len(text):
        if index in urls:  # URLs win over emoji starting at the same index
            weighted += _X_URL_WEIGHT
            index += urls[index]
        elif index in emoji:
            weighted += _X_DEFAULT_WEIGHT
            index += emoji[index]
        else:
            weighted += _x_char_weight(text[index])
            index += 1
    return weighted // _X_SCALE


def _x_char_weight(char: str) -> int:
    """Weight of one code point outside URLs and emoji."""
    code = ord(char)
    if any(start <= code <= end for start, end in _X_LIGHT_RANGES):
        return _X_SCALE
    return _X_DEFAULT_WEIGHT


# --- Emoji -----------------------------------------------------------------------------
# twitter-text 3.0 (Python) counts as one emoji each multi-code-point sequence listed in
# Unicode's emoji-test.txt 12.0 (fully-, minimally- and un-qualified), matched leftmost-
# longest. The tables below regenerate exactly that list; newer emoji (12.1+) are counted
# per code point, as the reference does. Single code points need no table: they weigh 200
# anyway, except the two that sit inside a light range.

_VS16, _ZWJ = "\ufe0f", "\u200d"
_TONES = [chr(code) for code in range(0x1F3FB, 0x1F400)]  # light .. dark skin tone
_LIGHT_EMOJI = frozenset("©®")
_KEYCAP_BASES = "#*0123456789"
_TAG_FLAGS = ("gbeng", "gbsct", "gbwls")  # England, Scotland, Wales
_FLAG_REGIONS = """
AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CR CU CV CW CX CY CZ DE DG
DJ DK DM DO DZ EA EC EE EG EH ER ES ET EU FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM
GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU IC ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM
SN SO SR SS ST SV SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM UN
US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
"""
# Code points that take VS16 for emoji presentation (emoji-test lists "X FE0F").
_TEXT_STYLE = """
A9 AE 203C 2049 2122 2139 2194-2199 21A9-21AA 2328 23CF 23ED-23EF 23F1-23F2 23F8-23FA
24C2 25AA-25AB 25B6 25C0 25FB-25FC 2600-2604 260E 2611 2618 261D 2620 2622-2623 2626
262A 262E-262F 2638-263A 2640 2642 265F-2660 2663 2665-2666 2668 267B 267E 2692
2694-2697 2699 269B-269C 26A0 26B0-26B1 26C8 26CF 26D1 26D3 26E9 26F0-26F1 26F4
26F7-26F9 2702 2708-2709 270C-270D 270F 2712 2714 2716 271D 2721 2733-2734 2744 2747
2763-2764 27A1 2934-2935 2B05-2B07 3030 303D 3297 3299 1F170-1F171 1F17E-1F17F 1F202
1F237 1F321 1F324-1F32C 1F336 1F37D 1F396-1F397 1F399-1F39B 1F39E-1F39F 1F3CB-1F3CE
1F3D4-1F3DF 1F3F3 1F3F5 1F3F7 1F43F 1F441 1F4FD 1F549-1F54A 1F56F-1F570 1F573-1F579
1F587 1F58A-1F58D 1F590 1F5A5 1F5A8 1F5B1-1F5B2 1F5BC 1F5C2-1F5C4 1F5D1-1F5D3
1F5DC-1F5DE 1F5E1 1F5E3 1F5E8 1F5EF 1F5F3 1F5FA 1F6CB 1F6CD-1F6CF 1F6E0-1F6E5 1F6E9
1F6F0 1F6F3
"""
# Code points that take a skin-tone modifier.
_MODIFIER_BASES = """
261D 26F9 270A-270D 1F385 1F3C2-1F3C4 1F3C7 1F3CA-1F3CC 1F442-1F443 1F446-1F450
1F466-1F469 1F46B-1F46E 1F470-1F478 1F47C 1F481-1F483 1F485-1F487 1F4AA 1F574-1F575
1F57A 1F590 1F595-1F596 1F645-1F647 1F64B-1F64F 1F6A3 1F6B4-1F6B6 1F6C0 1F6CC 1F90F
1F918-1F91C 1F91E-1F91F 1F926 1F930-1F939 1F93D-1F93E 1F9B5-1F9B6 1F9B8-1F9B9 1F9BB
1F9CD-1F9CF 1F9D1-1F9DD
"""
# Code points with "woman/man ..." variants (ZWJ + female/male sign).
_GENDERED = """
26F9 1F3C3-1F3C4 1F3CA-1F3CC 1F46E-1F46F 1F471 1F473 1F477 1F481-1F482 1F486-1F487 1F575
1F645-1F647 1F64B 1F64D-1F64E 1F6A3 1F6B4-1F6B6 1F926 1F937-1F939 1F93C-1F93E
1F9B8-1F9B9 1F9CD-1F9CF 1F9D6-1F9DF
"""
# Objects in "man/woman + ZWJ + object" roles, hair styles included (Unicode 12.0).
_ROLE_OBJECTS = """
2695-2696 2708 1F33E 1F373 1F393 1F3A4 1F3A8 1F3EB 1F3ED 1F4BB-1F4BC 1F527
1F52C 1F680 1F692 1F9AF-1F9B3 1F9BC-1F9BD
"""


def _code_points(spec: str) -> list[str]:
    """Expand a whitespace-separated list of hex code points and ranges ("A-B")."""
    chars = []
    for item in spec.split():
        start, _, end = item.partition("-")
        chars += [chr(code) for code in range(int(start, 16), int(end or start, 16) + 1)]
    return chars


def _zwj(*parts: str) -> str:
    return _ZWJ.join(parts)


def _zwj_sequences(text_style: frozenset[str], modifier_bases: frozenset[str]) -> set[str]:
    """The ZWJ sequences of emoji-test.txt 12.0, with their less-qualified spellings."""
    man, woman, person, boy, girl = "\U0001f468", "\U0001f469", "\U0001f9d1", "\U0001f466", "\U0001f467"
    seqs: set[str] = set()
    for base in _code_points(_GENDERED):
        starts = [base]
        starts += [base + _VS16] if base in text_style else []
        starts += [base + tone for tone in _TONES] if base in modifier_bases else []
        for start in starts:
            for sign in "\u2640\u2642":
                seqs |= {_zwj(start, sign), _zwj(start, sign + _VS16)}
    for adult in (man, woman):
        for start in [adult, *(adult + tone for tone in _TONES)]:
            for obj in _code_points(_ROLE_OBJECTS):
                seqs.add(_zwj(start, obj))
                seqs |= {_zwj(start, obj + _VS16)} if obj in text_style else set()
    for parents in ((man,), (woman,), (man, man), (man, woman), (woman, woman)):
        for kids in ((boy,), (boy, boy), (girl,), (girl, boy), (girl, girl)):
            seqs.add(_zwj(*parents, *kids))
    for first, second in ((man, man), (woman, man), (woman, woman)):
        for heart in ("\u2764", "\u2764" + _VS16):
            seqs |= {_zwj(first, heart, second), _zwj(first, heart, "\U0001f48b", second)}
    # People holding hands: which skin-tone pairs 12.0 lists differs per pair of people.
    handshake = "\U0001f91d"
    seqs.add(_zwj(person, handshake, person))
    for i, tone_1 in enumerate(_TONES):
        for j, tone_2 in enumerate(_TONES):
            pairs = [(person, person)] if i >= j else []
            pairs += [(man, man), (woman, woman)] if i > j else []
            pairs += [(woman, man)] if i != j else []
            seqs |= {_zwj(a + tone_1, handshake, b + tone_2) for a, b in pairs}
    seqs |= {
        _zwj("\U0001f3f3", "\U0001f308"),  # rainbow flag
        _zwj("\U0001f3f3" + _VS16, "\U0001f308"),
        _zwj("\U0001f3f4", "\u2620"),  # pirate flag
        _zwj("\U0001f3f4", "\u2620" + _VS16),
        _zwj("\U0001f415", "\U0001f9ba"),  # service dog
    }
    for eye in ("\U0001f441", "\U0001f441" + _VS16):  # eye in speech bubble
        seqs |= {_zwj(eye, "\U0001f5e8"), _zwj(eye, "\U0001f5e8" + _VS16)}
    return seqs


@functools.cache
def _emoji_sequences() -> frozenset[str]:
    """Every multi-code-point emoji that twitter-text 3.0 counts as a single emoji."""
    text_style = frozenset(_code_points(_TEXT_STYLE))
    modifier_bases = frozenset(_code_points(_MODIFIER_BASES))
    seqs = {char + _VS16 for char in text_style}
    seqs |= {base + tone for base in modifier_bases for tone in _TONES}
    seqs |= {key + tail for key in _KEYCAP_BASES for tail in ("\u20e3", _VS16 + "\u20e3")}
    seqs |= {"".join(chr(0x1F1A5 + ord(c)) for c in region) for region in _FLAG_REGIONS.split()}
    seqs |= {"\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in tag) + "\U000e007f" for tag in _TAG_FLAGS}
    seqs |= _zwj_sequences(text_style, modifier_bases)
    return frozenset(seqs)


@functools.cache
def _emoji_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(seq) for seq in _emoji_sequences()}, reverse=True))


def _emoji_spans(text: str) -> dict[int, int]:
    """Start index -> length of each emoji counted as one unit, scanned leftmost-longest."""
    sequences, lengths = _emoji_sequences(), _emoji_lengths()
    spans: dict[int, int] = {}
    index = 0
    while index < len(text):
        length = next((n for n in lengths if text[index : index + n] in sequences), 0)
        if not length and text[index] in _LIGHT_EMOJI:
            length = 1
        if length:
            spans[index] = length
        index += length or 1
    return spans


# --- URLs ------------------------------------------------------------------------------
# The regular expressions are twitter-text's, assembled verbatim so that the resulting
# pattern is character-for-character the reference's (the tests check this).

_INVALID_CHARS_GROUP = r"\uFFFE\uFEFF\uFFFF"
_DIRECTIONAL_MARKERS = r"\u202A-\u202E\u061C\u200E\u200F\u2066\u2067\u2068\u2069"
_PUNCT = r"\!'#%&'\(\)*\+,\\\-\.\/:;<=>\?@\[\]\^_{|}~\$/"
_SPACES = r"\x09-\x0D\x20\x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_CYRILLIC = r"\u0400-\u04FF"
_LATIN_ACCENTS = (
    r"\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263"
    r"\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"
)

# Generic and country-code TLDs, in twitter-text's order (longest alternatives first).
_GTLDS = """
삼성 닷컴 닷넷 香格里拉 餐厅 食品 飞利浦 電訊盈科 集团 通販 购物 谷歌 诺基亚 联通 网络 网站 网店 网址 组织机构 移动 珠宝 点看 游戏 淡马锡 机构 書籍
时尚 新闻 政府 政务 招聘 手表 手机 我爱你 慈善 微博 广东 工行 家電 娱乐 天主教 大拿 大众汽车 在线 嘉里大酒店 嘉里 商标 商店 商城 公益 公司 八卦 健康
信息 佛山 企业 中文网 中信 世界 ポイント ファッション セール ストア コム グーグル クラウド みんな คอม संगठन नेट कॉम همراه موقع
موبايلي كوم كاثوليك عرب شبكة بيتك بازار العليان ارامكو اتصالات ابوظبي קום сайт рус орг
онлайн москва ком католик дети zuerich zone zippo zip zero zara zappos yun youtube you
yokohama yoga yodobashi yandex yamaxun yahoo yachts xyz xxx xperia xin xihuan xfinity
xerox xbox wtf wtc wow world works work woodside wolterskluwer wme winners wine windows
win williamhill wiki wien whoswho weir weibo wedding wed website weber webcam
weatherchannel weather watches watch warman wanggou wang walter walmart wales vuelos
voyage voto voting vote volvo volkswagen vodka vlaanderen vivo viva vistaprint vista
vision visa virgin vip vin villas viking vig video viajes vet versicherung
vermögensberatung vermögensberater verisign ventures vegas vanguard vana vacations ups
uol uno university unicom uconnect ubs ubank tvs tushu tunes tui tube trv trust
travelersinsurance travelers travelchannel travel training trading trade toys toyota
town tours total toshiba toray top tools tokyo today tmall tkmaxx tjx tjmaxx tirol tires
tips tiffany tienda tickets tiaa theatre theater thd teva tennis temasek telefonica
telecity tel technology tech team tdk tci taxi tax tattoo tatar tatamotors target taobao
talk taipei tab systems symantec sydney swiss swiftcover swatch suzuki surgery surf
support supply supplies sucks style study studio stream store storage stockholm stcgroup
stc statoil statefarm statebank starhub star staples stada srt srl spreadbetting spot
sport spiegel space soy sony song solutions solar sohu software softbank social soccer
sncf smile smart sling skype sky skin ski site singles sina silk shriram showtime show
shouji shopping shop shoes shiksha shia shell shaw sharp shangrila sfr sexy sex sew
seven ses services sener select seek security secure seat search scot scor scjohnson
science schwarz schule school scholarships schmidt schaeffler scb sca sbs sbi saxo save
sas sarl sapo sap sanofi sandvikcoromant sandvik samsung samsclub salon sale sakura
safety safe saarland ryukyu rwe run ruhr rugby rsvp room rogers rodeo rocks rocher rmit
rip rio ril rightathome ricoh richardli rich rexroth reviews review restaurant rest
republican report repair rentals rent ren reliance reit reisen reise rehab redumbrella
redstone red recipes realty realtor realestate read raid radio racing qvc quest quebec
qpon pwc pub prudential pru protection property properties promo progressive prof
productions prod pro prime press praxi pramerica post porn politie poker pohl pnc plus
plumbing playstation play place pizza pioneer pink ping pin pid pictures pictet pics
piaget physio photos photography photo phone philips phd pharmacy pfizer pet pccw pay
passagens party parts partners pars paris panerai panasonic pamperedchef page ovh ott
otsuka osaka origins orientexpress organic org orange oracle open ooo onyourside online
onl ong one omega ollo oldnavy olayangroup olayan okinawa office off observer obi nyc
ntt nrw nra nowtv nowruz now norton northwesternmutual nokia nissay nissan ninja nikon
nike nico nhk ngo nfl nexus nextdirect next news newholland new neustar network netflix
netbank net nec nba navy natura nationwide name nagoya nadex nab mutuelle mutual museum
mtr mtpc mtn msd movistar movie mov motorcycles moto moscow mortgage mormon mopar
montblanc monster money monash mom moi moe moda mobily mobile mobi mma mls mlb
mitsubishi mit mint mini mil microsoft miami metlife merckmsd meo menu men memorial meme
melbourne meet media med mckinsey mcdonalds mcd mba mattel maserati marshalls marriott
markets marketing market map mango management man makeup maison maif madrid macys luxury
luxe lupin lundbeck ltda ltd lplfinancial lpl love lotto lotte london lol loft locus
locker loans loan llp llc lixil living live lipsy link linde lincoln limo limited lilly
like lighting lifestyle lifeinsurance life lidl liaison lgbt lexus lego legal lefrak
leclerc lease lds lawyer law latrobe latino lat lasalle lanxess landrover land lancome
lancia lancaster lamer lamborghini ladbrokes lacaixa kyoto kuokgroup kred krd kpn kpmg
kosher komatsu koeln kiwi kitchen kindle kinder kim kia kfh kerryproperties
kerrylogistics kerryhotels kddi kaufen juniper juegos jprs jpmorgan joy jot joburg jobs
jnj jmp jll jlc jio jewelry jetzt jeep jcp jcb java jaguar iwc iveco itv itau istanbul
ist ismaili iselect irish ipiranga investments intuit international intel int insure
insurance institute ink ing info infiniti industries inc immobilien immo imdb imamat
ikano iinet ifm ieee icu ice icbc ibm hyundai hyatt hughes htc hsbc how house hotmail
hotels hoteles hot hosting host hospital horse honeywell honda homesense homes homegoods
homedepot holiday holdings hockey hkt hiv hitachi hisamitsu hiphop hgtv hermes here
helsinki help healthcare health hdfcbank hdfc hbo haus hangout hamburg hair guru guitars
guide guge gucci guardian group grocery gripe green gratis graphics grainger gov got gop
google goog goodyear goodhands goo golf goldpoint gold godaddy gmx gmo gmbh gmail globo
global gle glass glade giving gives gifts gift ggee george genting gent gea gdn gbiz gay
garden gap games game gallup gallo gallery gal fyi futbol furniture fund fun fujixerox
fujitsu ftr frontier frontdoor frogans frl fresenius free fox foundation forum forsale
forex ford football foodnetwork food foo fly flsmidth flowers florist flir flights
flickr fitness fit fishing fish firmdale firestone fire financial finance final film
fido fidelity fiat ferrero ferrari feedback fedex fast fashion farmers farm fans fan
family faith fairwinds fail fage extraspace express exposed expert exchange everbank
events eus eurovision etisalat esurance estate esq erni ericsson equipment epson epost
enterprises engineering engineer energy emerck email education edu edeka eco eat earth
dvr dvag durban dupont duns dunlop duck dubai dtv drive download dot doosan domains doha
dog dodge doctor docs dnp diy dish discover discount directory direct digital diet
diamonds dhl dev design desi dentist dental democrat delta deloitte dell delivery degree
deals dealer deal dds dclk day datsun dating date data dance dad dabur cyou cymru
cuisinella csc cruises cruise crs crown cricket creditunion creditcard credit cpa
courses coupons coupon country corsica coop cool cookingchannel cooking contractors
contact consulting construction condos comsec computer compare company community
commbank comcast com cologne college coffee codes coach clubmed club cloud clothing
clinique clinic click cleaning claims cityeats city citic citi citadel cisco circle
cipriani church chrysler chrome christmas chloe chintai cheap chat chase charity channel
chanel cfd cfa cern ceo center ceb cbs cbre cbn cba catholic catering cat casino cash
caseih case casa cartier cars careers career care cards caravan car capitalone capital
capetown canon cancerresearch camp camera cam calvinklein call cal cafe cab bzh buzz buy
business builders build bugatti budapest brussels brother broker broadway bridgestone
bradesco box boutique bot boston bostik bosch boots booking book boo bond bom bofa
boehringer boats bnpparibas bnl bmw bms blue bloomberg blog blockbuster blanco
blackfriday black biz bio bingo bing bike bid bible bharti bet bestbuy best berlin
bentley beer beauty beats bcn bcg bbva bbt bbc bayern bauhaus basketball baseball
bargains barefoot barclays barclaycard barcelona bar bank band bananarepublic banamex
baidu baby azure axa aws avianca autos auto author auspost audio audible audi auction
attorney athleta associates asia asda arte art arpa army archi aramco arab aquarelle
apple app apartments aol anz anquan android analytics amsterdam amica amfam amex
americanfamily americanexpress alstom alsace ally allstate allfinanz alipay alibaba
alfaromeo akdn airtel airforce airbus aigo aig agency agakhan africa afl afamilycompany
aetna aero aeg adult ads adac actor active aco accountants accountant accenture academy
abudhabi abogado able abc abbvie abbott abb abarth aarp aaa onion
"""
_CCTLDS = """
한국 香港 澳門 新加坡 台灣 台湾 中國 中国 გე ລາວ ไทย ලංකා ഭാരതം ಭಾರತ భారత్ சிங்கப்பூர் இலங்கை இந்தியா
ଭାରତ ભારત ਭਾਰਤ ভাৰত ভারত বাংলা भारोत भारतम् भारत ڀارت پاکستان موريتانيا مليسيا مصر قطر
فلسطين عمان عراق سورية سودان تونس بھارت بارت ایران امارات المغرب السعودية الجزائر
البحرين الاردن հայ қаз укр срб рф мон мкд ею бел бг ευ ελ zw zm za yt ye ws wf vu vn vi
vg ve vc va uz uy us um uk ug ua tz tw tv tt tr tp to tn tm tl tk tj th tg tf td tc sz
sy sx sv su st ss sr so sn sm sl sk sj si sh sg se sd sc sb sa rw ru rs ro re qa py pw
pt ps pr pn pm pl pk ph pg pf pe pa om nz nu nr np no nl ni ng nf ne nc na mz my mx mw
mv mu mt ms mr mq mp mo mn mm ml mk mh mg mf me md mc ma ly lv lu lt ls lr lk li lc lb
la kz ky kw kr kp kn km ki kh kg ke jp jo jm je it is ir iq io in im il ie id hu ht hr
hn hm hk gy gw gu gt gs gr gq gp gn gm gl gi gh gg gf ge gd gb ga fr fo fm fk fj fi eu
et es er eh eg ee ec dz do dm dk dj de cz cy cx cw cv cu cr co cn cm cl ck ci ch cg cf
cd cc ca bz by bw bv bt bs br bq bo bn bm bl bj bi bh bg bf be bd bb ba az ax aw au at
as ar aq ao an am al ai ag af ae ad ac
"""


def _tld_alternatives(tlds: str) -> str:
    return "(?:(?:" + "|".join(tlds.split()) + ")(?=[^0-9a-zA-Z@+-]|$))"


def _url_parts() -> dict[str, str]:
    """Named sub-patterns of twitter-text's URL extractor."""
    domain_char = f"[^{_PUNCT}{_SPACES}{_INVALID_CHARS_GROUP}{_DIRECTIONAL_MARKERS}]"
    subdomain = rf"(?:(?:{domain_char}(?:[_-]|{domain_char})*)?{domain_char}\.)"
    domain_name = rf"(?:(?:{domain_char}(?:-|{domain_char})*)?{domain_char}\.)"
    tld = f"(?:{_tld_alternatives(_GTLDS)}|{_tld_alternatives(_CCTLDS)}|(?:xn--[\\-0-9a-z]+))"
    path_char = rf"[a-z{_CYRILLIC}0-9!\*';:=\+,\.\$\/%#\[\]\-\u2013_~@\|&{_LATIN_ACCENTS}]"
    parens = rf"\((?:{path_char}+|(?:{path_char}*\({path_char}+\){path_char}*))\)"  # one nested level
    path_end = rf"[\+\-a-z{_CYRILLIC}0-9=_#\/{_LATIN_ACCENTS}]|(?:{parens})"
    return {
        "domain_char": domain_char,
        "preceding": rf"(?:[^A-Za-z0-9@＠$#＃{_INVALID_CHARS_GROUP}]|[{_DIRECTIONAL_MARKERS}]|^)",
        "domain": f"(?:{subdomain}*{domain_name}{tld})",
        "port": "[0-9]+",
        "path": f"(?:(?:{path_char}*(?:{parens}{path_char}*)*{path_end})|(?:@{path_char}+/))",
        "query": r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]",
        "query_end": r"[a-z0-9\-_&=#/]",
        "tld": tld,
    }


@dataclass(frozen=True)
class _UrlGrammar:
    """twitter-text's URL patterns plus the single-character tests used to skip hopeless starts."""

    extractor: re.Pattern[str]  # groups: 2 preceding char, 3 URL, 4 protocol, 5 domain, 7 path
    ascii_domain: re.Pattern[str]
    tco: re.Pattern[str]
    preceding_char: re.Pattern[str]
    protocol: re.Pattern[str]
    domain_char: re.Pattern[str]
    ascii_label_char: re.Pattern[str]
    tld_after_dot: re.Pattern[str]


@functools.cache
def _url_grammar() -> _UrlGrammar:
    """Compile the URL patterns on first use (all case-insensitive, as in twitter-text)."""
    p = _url_parts()
    extractor = (
        f"(({p['preceding']})"  # 2: preceding character
        f"((https?:\\/\\/)?"  # 3: URL, 4: protocol
        f"({p['domain']})"  # 5: domain
        f"(?::({p['port']}))?"  # 6: port
        f"(\\/{p['path']}*)?"  # 7: path
        f"(\\?{p['query']}*{p['query_end']})?))"  # 8: query
    )
    ascii_label_char = rf"[\-a-z0-9{_LATIN_ACCENTS}]"
    compile_ci = functools.partial(re.compile, flags=re.IGNORECASE)
    return _UrlGrammar(
        extractor=compile_ci(extractor),
        ascii_domain=compile_ci(rf"(?:(?:{ascii_label_char}+)\.)+{p['tld']}"),
        tco=compile_ci(rf"^https?:\/\/t\.co\/([a-z0-9]+)(?:\?{p['query']}*{p['query_end']})?"),
        preceding_char=compile_ci(rf"[^A-Za-z0-9@＠$#＃{_INVALID_CHARS_GROUP}]"),
        protocol=compile_ci(r"https?:\/\/"),
        domain_char=compile_ci(p["domain_char"]),
        ascii_label_char=compile_ci(ascii_label_char),
        tld_after_dot=compile_ci(rf"\.{p['tld']}"),
    )


_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40


def _url_spans(text: str) -> dict[int, int]:
    """Start index -> length of each URL twitter-text would shorten to t.co."""
    if "." not in text:
        return {}
    grammar = _url_grammar()
    spans: dict[int, int] = {}
    for match in _finditer(grammar.extractor, text, _url_may_start(text, grammar)):
        before, url, protocol, domain, path = match.group(2, 3, 4, 5, 7)
        start = match.end() - len(url)
        if not _is_valid_url(url, protocol=protocol or "https://", domain=domain):
            continue
        if protocol:
            tco_match = grammar.tco.search(url)
            if tco_match and len(tco_match.group(1)) > _MAX_TCO_SLUG_LENGTH:
                continue
            spans[start] = len(tco_match.group(0) if tco_match else url)
            continue
        # Without a protocol only ASCII domains count, and not right after "-_./".
        if before in {"-", "_", ".", "/"}:
            continue
        last_domain = None
        may_start = _domain_may_start(domain, grammar, grammar.ascii_label_char, inner="")
        for domain_match in _finditer(grammar.ascii_domain, domain, may_start):
            last_domain = domain_match
            spans[start + domain_match.start()] = len(domain_match.group(0))
        if last_domain and path:  # the last domain keeps the path and query
            spans[start + last_domain.start()] = len(url.replace(domain, last_domain.group(0)))
    return spans


# --- Keeping the URL regex linear ---------------------------------------------------------
# Run as-is, twitter-text's regex backtracks quadratically on long dotted runs it cannot
# finish ("a.a.a.…": seconds for a few thousand characters). Whether a domain can start at
# an index is decided in one linear pass, and only those starts are tried: the matches
# found are exactly finditer's. (A path of thousands of "(…)" groups
# is still quadratic inside the re module, as in the reference.)


def _finditer(pattern: re.Pattern[str], text: str, may_start: list[bool]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that never matches empty, trying only `may_start`."""
    index = 0
    while index < len(text):
        match = pattern.match(text, index) if may_start[index] else None
        index = match.end() if match else index + 1
        if match:
            yield match


def _url_may_start(text: str, grammar: _UrlGrammar) -> list[bool]:
    """Where the extractor might match: a preceding char (or index 0), a protocol, a domain."""
    domain_may_start = _domain_may_start(text, grammar, grammar.domain_char, inner="_-", final_forbids="_")
    may_start = []
    for index, char in enumerate(text):
        heads = [index + 1] if grammar.preceding_char.match(char) else []
        heads += [0] if index == 0 else []
        heads += [protocol.end() for head in heads if (protocol := grammar.protocol.match(text, head))]
        may_start.append(any(domain_may_start[head] for head in heads if head < len(text)))
    return may_start


def _domain_may_start(
    text: str, grammar: _UrlGrammar, label_char: re.Pattern[str], *, inner: str, final_forbids: str = ""
) -> list[bool]:
    """Per index: dotted labels starting here can end in a dot + TLD, as the domain regex needs.

    A label starts and ends with a `label_char`, may hold `inner` chars in between, and the
    last label may not hold `final_forbids`. Computed right to left, so it stays linear.
    """
    tld_dots = {match.start() for match in grammar.tld_after_dot.finditer(text)}
    size = len(text)
    is_label = [bool(label_char.match(char)) for char in text] + [False, False]
    ends_in_tld = [False] * (size + 2)  # this label, then its dot and a TLD
    leads_on = [False] * (size + 2)  # this label, its dot, then more labels ending in a TLD
    for index in range(size - 2, -1, -1):
        char, after = text[index], text[index + 1]
        if is_label[index] and after == ".":
            ends_in_tld[index] = char not in final_forbids and index + 1 in tld_dots
            leads_on[index] = is_label[index + 2] and (ends_in_tld[index + 2] or leads_on[index + 2])
        elif (is_label[index] or char in inner) and (is_label[index + 1] or after in inner):
            ends_in_tld[index] = char not in final_forbids and ends_in_tld[index + 1]
            leads_on[index] = leads_on[index + 1]
    return [is_label[index] and (ends_in_tld[index] or leads_on[index]) for index in range(size)]


def _is_valid_url(url: str, *, protocol: str, domain: str) -> bool:
    """The domain must be IDNA-encodable and the punycoded URL at most 4096 characters."""
    try:
        punycode = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return bool(punycode) and len(protocol) + len(url) + len(punycode) - len(domain) <= _MAX_URL_LENGTH
