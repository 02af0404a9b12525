"""Where twitter-text finds URLs (each counts 23), with its regular expressions kept verbatim."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

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
