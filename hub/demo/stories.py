"""Demo stories in Vietnamese: fictional people and places, real public-health facts."""

import datetime

from django.utils import timezone

FIVE_K = [
    "Khẩu trang: đeo khẩu trang nơi công cộng, trên phương tiện giao thông",
    "Khử khuẩn: rửa tay thường xuyên bằng xà phòng hoặc dung dịch sát khuẩn",
    "Khoảng cách: giữ khoảng cách khi tiếp xúc với người khác",
    "Không tập trung đông người",
    "Khai báo y tế đầy đủ, trung thực",
]


def _paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def _fact_box(heading: str, items: list[str]) -> dict:
    return {"type": "fact_box", "value": {"heading": heading, "items": items}}


def sections() -> list[dict]:
    """Each section of the portal with its stories (page model name → field values)."""
    today = timezone.localdate()
    now = timezone.now()
    return [
        {
            "slug": "tiem-chung",
            "title": "Tiêm chủng vắc-xin",
            "intro": "Kế hoạch, lịch và địa điểm tiêm vắc-xin phòng COVID-19 trên địa bàn tỉnh.",
            "model": "VaccinationPage",
            "stories": [
                {
                    "slug": "tiem-mui-nhac-lai-tai-tp-dien-bien-phu",
                    "title": "Tiêm mũi nhắc lại cho người từ 18 tuổi tại thành phố Điện Biên Phủ",
                    "summary": "Từ ngày 25/11, các trạm y tế phường, xã của thành phố Điện Biên Phủ tiêm mũi nhắc lại "
                    "miễn phí cho người từ 18 tuổi đã tiêm đủ liều cơ bản.",
                    "campaign": "Chiến dịch tiêm mũi nhắc lại mùa đông",
                    "starts_on": today + datetime.timedelta(days=3),
                    "ends_on": today + datetime.timedelta(days=20),
                    "eligible_groups": "Người từ 18 tuổi trở lên đã tiêm đủ liều cơ bản từ 4 tháng trước.",
                    "sites": [
                        {
                            "type": "site",
                            "value": {
                                "name": "Trạm Y tế phường Him Lam",
                                "address": "Tổ dân phố 5, phường Him Lam",
                                "hours": "7:30–11:00, 13:30–16:30",
                            },
                        },
                        {
                            "type": "site",
                            "value": {
                                "name": "Trạm Y tế phường Mường Thanh",
                                "address": "Số 12 đường Hoàng Văn Thái",
                                "hours": "7:30–11:00",
                            },
                        },
                    ],
                    "how_to_donate": "<p>Quỹ phòng, chống dịch của tỉnh tiếp nhận ủng hộ qua Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh.</p>",
                    "sms_text": "So Y te Dien Bien: Tu 25/11 tiem mui nhac lai mien phi cho nguoi tu 18 tuoi tai tram y te phuong, xa TP Dien Bien Phu. Mang theo CCCD.",
                    "led_text": "Tiêm mũi nhắc lại miễn phí từ 25/11 tại trạm y tế phường, xã",
                    "regions": ["094"],
                    "channels": ["facebook", "x", "sms", "led", "zalo", "email"],
                },
                {
                    "slug": "lich-tiem-luu-dong-muong-nhe",
                    "title": "Đội tiêm lưu động đến các bản vùng cao huyện Mường Nhé",
                    "summary": "Đội tiêm lưu động của Trung tâm Y tế huyện Mường Nhé sẽ đến từng bản để tiêm cho người cao tuổi "
                    "và người có bệnh nền không thể đi xa.",
                    "campaign": "Tiêm lưu động vùng cao",
                    "starts_on": today,
                    "ends_on": today + datetime.timedelta(days=30),
                    "eligible_groups": "Người từ 60 tuổi trở lên, người có bệnh nền, người khuyết tật.",
                    "regions": ["096"],
                    "channels": ["facebook", "sms", "led"],
                },
                {
                    "slug": "vac-xin-an-toan-hieu-qua",
                    "title": "Vắc-xin là biện pháp phòng bệnh an toàn, hiệu quả nhất",
                    "summary": 'Thông điệp "5K + vắc-xin": tiêm đủ liều và tiếp tục thực hiện 5K để bảo vệ bản thân, gia đình '
                    "và cộng đồng.",
                    "campaign": "5K + vắc-xin",
                    "body": [_fact_box("Thông điệp 5K", FIVE_K)],
                    "regions": [],
                    "channels": ["facebook", "x", "led"],
                },
            ],
        },
        {
            "slug": "guong-nguoi-tot-viec-tot",
            "title": "Gương người tốt, việc tốt",
            "intro": "Những tập thể, cá nhân, mô hình hay trong phòng, chống dịch.",
            "model": "GoodExamplePage",
            "stories": [
                {
                    "slug": "nu-truong-ban-van-dong-tiem-chung",
                    "title": "Nữ trưởng bản vận động cả bản đi tiêm vắc-xin",
                    "summary": "Chị Lò Thị Mai, trưởng bản Che Căn, xã Mường Phăng, đã đến từng nhà giải thích lợi ích của "
                    "vắc-xin bằng tiếng Thái; 100% người dân trong bản đã tiêm đủ liều.",
                    "honoree": "Chị Lò Thị Mai, trưởng bản Che Căn",
                    "locality": "Xã Mường Phăng, huyện Điện Biên",
                    "achievement": "Vận động 146 hộ gia đình, dịch tờ rơi 5K sang tiếng Thái và tổ chức đưa người cao tuổi đi tiêm.",
                    "regions": ["03334"],
                    "channels": ["facebook", "x"],
                },
                {
                    "slug": "to-covid-cong-dong-him-lam",
                    "title": "Tổ COVID cộng đồng phường Him Lam: 24 giờ không nghỉ",
                    "summary": "Tổ COVID cộng đồng phường Him Lam hỗ trợ hàng trăm hộ cách ly tại nhà, tiếp nhận phản ánh "
                    "của người dân qua đường dây nóng.",
                    "honoree": "Tổ COVID cộng đồng tổ dân phố 3",
                    "locality": "Phường Him Lam, thành phố Điện Biên Phủ",
                    "achievement": "Hỗ trợ 312 hộ cách ly tại nhà, đưa 45 ca bệnh nặng đến cơ sở y tế kịp thời.",
                    "regions": ["03127"],
                    "channels": ["facebook"],
                },
                {
                    "slug": "thanh-nien-tinh-nguyen-ho-tro-chot-kiem-soat",
                    "title": "Thanh niên tình nguyện hỗ trợ chốt kiểm soát dịch",
                    "summary": "Đoàn viên thanh niên huyện Tuần Giáo thay phiên trực tại chốt kiểm soát, hướng dẫn người dân "
                    "khai báo y tế điện tử.",
                    "honoree": "Đoàn Thanh niên huyện Tuần Giáo",
                    "locality": "Huyện Tuần Giáo",
                    "achievement": "Hướng dẫn hơn 5.000 lượt người khai báo y tế điện tử.",
                    "regions": ["099"],
                    "channels": ["facebook", "x"],
                },
            ],
        },
        {
            "slug": "phan-bac-thong-tin-sai",
            "title": "Phản bác thông tin sai sự thật",
            "intro": "Thông tin sai sự thật, chưa được kiểm chứng và sự thật từ cơ quan chức năng.",
            "model": "RebuttalPage",
            "stories": [
                {
                    "slug": "nuoc-chanh-nong-khong-chua-duoc-covid",
                    "title": "Uống nước chanh nóng không chữa được COVID-19",
                    "summary": 'Sở Y tế khẳng định thông tin "uống nước chanh nóng diệt được vi-rút" lan truyền trên mạng '
                    "xã hội là sai sự thật.",
                    "claim": "Uống nước chanh nóng mỗi sáng sẽ diệt vi-rút SARS-CoV-2 trong cổ họng.",
                    "claim_appeared_in": "Các nhóm Zalo và Facebook",
                    "claim_appeared_on": today - datetime.timedelta(days=2),
                    "verdict": "false",
                    "evidence": "<p>Không có nghiên cứu khoa học nào chứng minh nước chanh nóng diệt được vi-rút. "
                    "Người có triệu chứng cần liên hệ trạm y tế gần nhất.</p>",
                    "alert": True,
                    "regions": [],
                    "channels": ["facebook", "x", "sms", "led", "zalo", "email"],
                },
                {
                    "slug": "khong-co-phong-toa-toan-thanh-pho",
                    "title": "Không có việc phong tỏa toàn thành phố Điện Biên Phủ",
                    "summary": 'Công an tỉnh xác minh tin nhắn về việc "phong tỏa toàn thành phố từ 0 giờ" là giả mạo văn bản '
                    "của Ủy ban nhân dân tỉnh.",
                    "claim": "Thành phố Điện Biên Phủ sẽ phong tỏa toàn bộ từ 0 giờ ngày mai.",
                    "claim_appeared_in": "Tin nhắn chuyển tiếp qua Zalo",
                    "claim_appeared_on": today - datetime.timedelta(days=1),
                    "verdict": "false",
                    "evidence": "<p>Ủy ban nhân dân tỉnh không ban hành văn bản nào như vậy. Công an tỉnh đang xác minh "
                    "người tung tin.</p>",
                    "regions": ["094"],
                    "channels": ["facebook", "x", "sms"],
                },
                {
                    "slug": "vac-xin-khong-gay-vo-sinh",
                    "title": "Vắc-xin phòng COVID-19 không gây vô sinh",
                    "summary": "Thông tin vắc-xin gây vô sinh là sai lệch; Bộ Y tế và Tổ chức Y tế Thế giới khẳng định "
                    "vắc-xin an toàn.",
                    "claim": "Tiêm vắc-xin COVID-19 khiến phụ nữ bị vô sinh.",
                    "claim_appeared_in": "Một trang Facebook cá nhân",
                    "verdict": "misleading",
                    "evidence": "<p>Các nghiên cứu trên hàng triệu người không ghi nhận ảnh hưởng của vắc-xin đến khả năng "
                    "sinh sản.</p>",
                    "regions": [],
                    "channels": ["facebook", "x"],
                },
            ],
        },
        {
            "slug": "van-ban-chi-dao",
            "title": "Văn bản chỉ đạo",
            "intro": "Chỉ thị, công văn và hướng dẫn của các cấp.",
            "model": "DirectivePage",
            "stories": [
                {
                    "slug": "ke-hoach-thong-tin-tuyen-truyen",
                    "title": "Kế hoạch thông tin, tuyên truyền phòng, chống dịch COVID-19",
                    "summary": "Ủy ban nhân dân tỉnh ban hành kế hoạch tăng cường thông tin, tuyên truyền phòng, chống dịch "
                    "trong tình hình mới.",
                    "document_number": "3456/KH-UBND",
                    "issued_on": today - datetime.timedelta(days=30),
                    "issuing_body": "Ủy ban nhân dân tỉnh Điện Biên",
                    "regions": [],
                    "channels": ["facebook"],
                },
                {
                    "slug": "huong-dan-cach-ly-tai-nha",
                    "title": "Hướng dẫn chăm sóc người mắc COVID-19 tại nhà",
                    "summary": "Sở Y tế hướng dẫn theo dõi sức khỏe, dấu hiệu cần đến cơ sở y tế ngay.",
                    "document_number": "1234/HD-SYT",
                    "issued_on": today - datetime.timedelta(days=10),
                    "issuing_body": "Sở Y tế tỉnh Điện Biên",
                    "regions": [],
                    "channels": ["facebook", "x"],
                },
                {
                    "slug": "cong-van-tiem-chung-hoc-sinh",
                    "title": "Công văn triển khai tiêm vắc-xin cho học sinh",
                    "summary": "Sở Giáo dục và Đào tạo phối hợp Sở Y tế tổ chức tiêm vắc-xin cho học sinh tại trường.",
                    "document_number": "987/SGDĐT-CTTT",
                    "issued_on": today - datetime.timedelta(days=5),
                    "issuing_body": "Sở Giáo dục và Đào tạo",
                    "regions": [],
                    "channels": ["facebook"],
                },
            ],
        },
        {
            "slug": "tinh-hinh-dich",
            "title": "Tình hình dịch",
            "intro": "Tình hình và kết quả công tác phòng, chống dịch.",
            "model": "SituationPage",
            "stories": [
                {
                    "slug": "tinh-hinh-dich-trong-tuan",
                    "title": "Tình hình dịch trong tuần: số ca mới giảm",
                    "summary": "Trong tuần, toàn tỉnh ghi nhận số ca mắc mới giảm so với tuần trước; không có ca bệnh nặng.",
                    "as_of": now,
                    "figures": [
                        {"type": "figure", "value": {"label": "Ca mắc mới trong tuần", "value": "37"}},
                        {
                            "type": "figure",
                            "value": {"label": "Tỷ lệ người lớn tiêm đủ liều", "value": "96,4%"},
                        },
                    ],
                    "regions": [],
                    "channels": ["facebook", "x", "led"],
                },
                {
                    "slug": "ket-qua-tiem-chung-thang",
                    "title": "Kết quả tiêm chủng trong tháng",
                    "summary": "Hơn 42.000 mũi vắc-xin đã được tiêm trong tháng, tập trung ở các huyện vùng cao.",
                    "as_of": now - datetime.timedelta(days=3),
                    "figures": [
                        {"type": "figure", "value": {"label": "Mũi tiêm trong tháng", "value": "42.318"}}
                    ],
                    "regions": [],
                    "channels": ["facebook"],
                },
                {
                    "slug": "bao-dong-o-dich-muong-cha",
                    "title": "Phát hiện ổ dịch mới tại huyện Mường Chà",
                    "summary": "Ngành y tế đã khoanh vùng, truy vết; người dân trong khu vực thực hiện nghiêm 5K và theo dõi "
                    "sức khỏe.",
                    "as_of": now - datetime.timedelta(hours=6),
                    "alert": True,
                    "regions": ["097"],
                    "channels": ["facebook", "x", "sms", "led"],
                },
            ],
        },
    ]
