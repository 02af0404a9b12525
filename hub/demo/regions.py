"""Điện Biên province and its districts (national administrative codes), with a few wards."""

PROVINCE = ("11", "Tỉnh Điện Biên", "province")

DISTRICTS = [
    ("094", "Thành phố Điện Biên Phủ"),
    ("095", "Thị xã Mường Lay"),
    ("096", "Huyện Mường Nhé"),
    ("097", "Huyện Mường Chà"),
    ("098", "Huyện Tủa Chùa"),
    ("099", "Huyện Tuần Giáo"),
    ("100", "Huyện Điện Biên"),
    ("101", "Huyện Điện Biên Đông"),
    ("102", "Huyện Mường Ảng"),
    ("103", "Huyện Nậm Pồ"),
]

# A few wards and communes, to show that the tree has no fixed depth.
COMMUNES = [
    ("03127", "Phường Him Lam", "094"),
    ("03136", "Phường Mường Thanh", "094"),
    ("03151", "Xã Thanh Minh", "094"),
    ("03334", "Xã Mường Phăng", "100"),
    ("03166", "Xã Chung Chải", "096"),
]
