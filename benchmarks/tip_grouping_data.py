"""A labelled set of reports for benchmarks/tip_grouping.py: 20 claims, each said three ways, then
varied by template, stripped diacritics, typos and links. Deterministic for a given seed."""

import random
import unicodedata

# Each claim: three phrasings of its core, and the links it circulated with.
CLAIMS = [
    (
        [
            "uống nước chanh nóng chữa khỏi Covid-19",
            "nước chanh nóng có thể chữa khỏi bệnh Covid",
            "chữa Covid bằng cách uống nước chanh pha nước nóng",
        ],
        ["https://www.facebook.com/groups/dienbien24h/posts/1001"],
    ),
    (
        [
            "tiêm vắc-xin Covid gây vô sinh ở phụ nữ",
            "phụ nữ tiêm vắc xin Covid sẽ bị vô sinh",
            "vắc-xin Covid làm chị em vô sinh",
        ],
        ["https://zalo.me/g/vosinh123"],
    ),
    (
        [
            "tỉnh Điện Biên phong tỏa toàn bộ thành phố từ tối nay",
            "từ tối nay phong tỏa toàn thành phố Điện Biên Phủ",
            "thành phố Điện Biên Phủ bị phong tỏa toàn bộ từ đêm nay",
        ],
        ["https://tinnhanh247.info/phong-toa-dien-bien"],
    ),
    (
        [
            "xông hơi bằng lá sả diệt được virus corona",
            "xông lá sả giúp tiêu diệt virus corona trong người",
            "virus corona bị diệt nếu xông hơi với lá sả",
        ],
        ["https://www.youtube.com/watch?v=xongla"],
    ),
    (
        [
            "bệnh viện tỉnh hết giường không nhận bệnh nhân mới",
            "bệnh viện đa khoa tỉnh đã hết giường, ngừng nhận bệnh nhân",
            "không còn giường, bệnh viện tỉnh từ chối nhận bệnh nhân mới",
        ],
        ["https://www.facebook.com/benhvienhetgiuong/posts/77"],
    ),
    (
        [
            "vắc-xin có gắn chip để theo dõi người dân",
            "trong mũi tiêm vắc xin có con chip theo dõi",
            "người ta cấy chip theo dõi vào vắc-xin",
        ],
        ["https://chipvacxin.com/su-that"],
    ),
    (
        [
            "uống rượu trắng ngâm tỏi phòng được Covid",
            "rượu trắng ngâm tỏi giúp phòng bệnh Covid",
            "phòng Covid bằng rượu ngâm tỏi uống mỗi tối",
        ],
        ["https://www.tiktok.com/@meoхay/video/5550"],
    ),
    (
        [
            "chợ Mường Thanh đóng cửa vì có ca nhiễm",
            "có ca nhiễm nên chợ Mường Thanh phải đóng cửa",
            "chợ trung tâm Mường Thanh đóng cửa do phát hiện ca nhiễm",
        ],
        ["https://www.facebook.com/chomuongthanh/posts/42"],
    ),
    (
        [
            "nhà nước thu phí tiêm vắc-xin 500 nghìn đồng mỗi mũi",
            "mỗi mũi tiêm vắc xin phải nộp 500 nghìn",
            "tiêm vắc-xin mất phí 500.000 đồng một mũi",
        ],
        ["https://thuphivacxin.net/thong-bao"],
    ),
    (
        [
            "học sinh toàn tỉnh nghỉ học đến hết năm",
            "toàn bộ học sinh trong tỉnh được nghỉ học tới cuối năm",
            "tỉnh cho học sinh nghỉ học hết năm nay",
        ],
        ["https://www.facebook.com/phuhuynhdienbien/posts/900"],
    ),
    (
        [
            "trạm y tế xã Thanh Minh phát thuốc đặc trị Covid miễn phí",
            "xã Thanh Minh đang phát miễn phí thuốc đặc trị Covid ở trạm y tế",
            "ra trạm y tế Thanh Minh nhận thuốc đặc trị Covid không mất tiền",
        ],
        ["https://zalo.me/g/thanhminhthuoc"],
    ),
    (
        [
            "sóng 5G làm lây lan virus corona",
            "virus corona lây qua sóng điện thoại 5G",
            "cột phát sóng 5G phát tán virus corona",
        ],
        ["https://song5g-corona.info/bai-viet"],
    ),
    (
        [
            "người từ Lào về mang dịch vào bản Mường Nhé",
            "bản ở Mường Nhé có dịch do người từ Lào về",
            "dịch vào Mường Nhé vì người vượt biên từ Lào về bản",
        ],
        ["https://www.facebook.com/muongnhe.news/posts/313"],
    ),
    (
        [
            "ăn tỏi sống mỗi ngày thì miễn dịch hoàn toàn",
            "mỗi ngày ăn một củ tỏi sống sẽ miễn dịch hoàn toàn",
            "tỏi sống ăn hằng ngày cho miễn dịch tuyệt đối",
        ],
        ["https://meodangian.com/toi-song"],
    ),
    (
        [
            "ngân hàng phát tiền hỗ trợ dịch qua tin nhắn bấm link để nhận",
            "bấm vào link trong tin nhắn để nhận tiền hỗ trợ dịch của ngân hàng",
            "tin nhắn ngân hàng gửi link nhận tiền hỗ trợ mùa dịch",
        ],
        ["http://nhantien-hotro.vn-bank.top/nhan"],
    ),
    (
        [
            "súc miệng nước muối diệt hết virus trong họng",
            "nước muối súc họng sẽ diệt sạch virus",
            "diệt virus trong cổ họng bằng súc miệng nước muối",
        ],
        ["https://www.facebook.com/suckhoe.meo/posts/66"],
    ),
    (
        [
            "phải uống thuốc hạ sốt trước khi đi tiêm vắc-xin",
            "bắt buộc uống thuốc hạ sốt trước lúc tiêm vắc xin",
            "trước khi tiêm vắc-xin cần uống sẵn thuốc hạ sốt",
        ],
        ["https://zalo.me/g/hasot456"],
    ),
    (
        [
            "công an phạt 10 triệu người không khai báo y tế",
            "không khai báo y tế sẽ bị công an phạt 10 triệu đồng",
            "ai không khai báo y tế bị phạt mười triệu, công an đi kiểm tra",
        ],
        ["https://www.facebook.com/canhbao.dienbien/posts/10"],
    ),
    (
        [
            "xe khách Điện Biên đi Hà Nội dừng chạy từ thứ hai",
            "từ thứ hai tuyến xe khách Điện Biên Hà Nội ngừng chạy",
            "xe khách tuyến Điện Biên Hà Nội nghỉ chạy bắt đầu thứ hai",
        ],
        ["https://xekhachdienbien.vn/thong-bao-nghi"],
    ),
    (
        [
            "đeo hai lớp khẩu trang gây thiếu ô xy",
            "đeo 2 khẩu trang một lúc làm thiếu oxy lên não",
            "hai lớp khẩu trang khiến người đeo bị thiếu ô-xy",
        ],
        ["https://www.facebook.com/khautrang.canhbao/posts/5"],
    ),
]

TEMPLATES = [
    "{core}",
    "Nghe nói {core}, có đúng không?",
    "Mọi người ơi, {core}!!! Chia sẻ ngay cho người thân",
    "Trên Zalo đang lan truyền tin {core}",
    "Có thật là {core} không ạ?",
    "CẢNH BÁO: {core}",
    "Hàng xóm bảo {core}",
    "{core}. Thấy trên Facebook sáng nay",
]

NEWS_LINKS = [
    "https://baodienbienphu.info.vn/tin-tuc",
    "https://vnexpress.net/suc-khoe",
    "https://www.facebook.com/watch?v=",
]


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def add_typos(text: str, rng: random.Random, count: int = 2) -> str:
    """Drops, doubles or swaps a letter in `count` words of four letters or more."""
    words = text.split(" ")
    positions = [i for i, word in enumerate(words) if len(word) >= 4]
    for index in rng.sample(positions, min(count, len(positions))):
        word = words[index]
        at = rng.randrange(1, len(word) - 1)
        operation = rng.choice(("drop", "double", "swap"))
        if operation == "drop":
            word = word[:at] + word[at + 1 :]
        elif operation == "double":
            word = word[:at] + word[at] + word[at:]
        else:
            word = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
        words[index] = word
    return " ".join(words)


def variant(claim_index: int, rng: random.Random) -> tuple[str, str]:
    """(text, link) of one report of claim `claim_index`."""
    phrasings, links = CLAIMS[claim_index]
    text = rng.choice(TEMPLATES).format(core=rng.choice(phrasings))
    if rng.random() < 0.4:
        text = strip_diacritics(text)
    if rng.random() < 0.35:
        text = add_typos(text, rng)
    link = ""
    roll = rng.random()
    if roll < 0.2:
        link = links[0]
    elif roll < 0.3:
        text = f"{text} {links[0]}?fbclid=IwAR{rng.randrange(10**8)}"
    elif roll < 0.4:
        link = rng.choice(NEWS_LINKS) + str(rng.randrange(10**6))  # an unrelated article
    return text, link


def labelled_reports(per_claim: int = 12, seed: int = 15) -> list[tuple[int, str, str]]:
    """(claim index, text, link) × per_claim for each claim, shuffled."""
    rng = random.Random(seed)
    reports = [(index, *variant(index, rng)) for index in range(len(CLAIMS)) for _ in range(per_claim)]
    rng.shuffle(reports)
    return reports


SYLLABLES = [
    "an",
    "ba",
    "binh",
    "cau",
    "dan",
    "dong",
    "giang",
    "ha",
    "hai",
    "hoa",
    "hung",
    "khanh",
    "lam",
    "linh",
    "long",
    "mai",
    "minh",
    "nam",
    "ngoc",
    "phong",
    "phu",
    "quang",
    "son",
    "tan",
    "thanh",
    "thuy",
    "tien",
    "trung",
    "tuan",
    "van",
    "viet",
    "xuan",
    "yen",
    "bac",
    "cong",
    "duc",
    "gia",
    "hien",
    "kim",
    "loc",
    "my",
    "nhu",
    "phuc",
    "quy",
    "sang",
    "tam",
    "thao",
    "thu",
    "tri",
    "tu",
    "uyen",
    "vinh",
    "vu",
]
VERBS = [
    "mua",
    "ban",
    "xay",
    "sua",
    "dong",
    "mo",
    "cam",
    "cho",
    "phat",
    "thu",
    "chuyen",
    "doi",
    "huy",
    "tang",
    "giam",
    "tach",
    "nhap",
]
NOUNS = [
    "cau",
    "duong",
    "cho",
    "truong",
    "tram",
    "nha",
    "xe",
    "kho",
    "dap",
    "ruong",
    "rung",
    "suoi",
    "nuoc",
    "dien",
    "den",
    "cot",
    "mang",
    "song",
    "may",
    "thuoc",
    "gao",
    "muoi",
    "phan",
    "giong",
    "lua",
    "ngo",
    "san",
    "che",
    "ca",
    "phe",
    "heo",
    "ga",
    "bo",
    "trau",
]


def filler_text(rng: random.Random) -> str:
    """A made-up report about something else (for the 10,000 existing reports of the timing run)."""
    place = " ".join(rng.sample(SYLLABLES, 2)).title()
    return (
        f"{rng.choice(['Nghe noi', 'Co tin', 'Nguoi ta bao', ''])} {rng.choice(VERBS)} {rng.choice(NOUNS)} "
        f"{rng.choice(NOUNS)} o {place} {rng.choice(VERBS)} {rng.choice(NOUNS)} {rng.randrange(1, 99)} "
        f"{' '.join(rng.sample(SYLLABLES, 3))}"
    ).strip()
