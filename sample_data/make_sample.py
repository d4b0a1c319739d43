"""Synthetic sample data modelled on the seed article (Lạng Sơn city one-stop shop, 2018 to the end of Q1 2019).

Writes, under sample_data/:
  procedures.xlsx            the procedure catalog: 284 district-level and 125 commune-level procedures;
  exports/YYYY-Qn_ho-so_TP-Lang-Son.xlsx
                             five quarterly exports shaped like the one-stop-shop software's (title rows, two-row
                             merged header, numbering row, "Tổng cộng" row, signature block); 2019-Q1 comes from
                             "new software" with other headers, numeric codes and more date formats;
  expected_headline.json     the Biểu 06 headline counts for 2018-01-01..2019-03-31 that the data must give.

Every dossier has a ground-truth life (received, due, finished, returned, outcome). Each quarterly file holds the
dossiers received in that quarter as they stood on the export date, plus the earlier ones finished in that quarter.
The generator merges the files as an importer would (one record per case id, the most advanced one), classifies
them by DOMAIN.md's rules and adds or drops dossiers until exactly 1,365 are resolved.

Run from the project root:  python sample_data/make_sample.py
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `analytics` importable
    sys.path.insert(0, str(ROOT))

from analytics.model.workdays import add_working_days, is_working_day, working_days  # noqa: E402

SEED = 20190514  # the day of the supervision session
OUT_DIR = Path(__file__).resolve().parent
PERIOD_START, PERIOD_END = dt.date(2018, 1, 1), dt.date(2019, 3, 31)
TARGET_RESOLVED = 1365
ON_TIME_RATE_RANGE = (0.955, 0.975)
N_DISTRICT, N_COMMUNE = 284, 125
DISTRICT, COMMUNE = "Cấp huyện", "Cấp xã"
SYNTHETIC_NOTE = "Dữ liệu mô phỏng (tổng hợp) – không phải số liệu thật"

# ----------------------------------------------------------------------------------------------------------------
# Units, staff, procedures
# ----------------------------------------------------------------------------------------------------------------

# Deciding units: code (used in case ids) -> name.
CITY_UNITS = {
    "TNMT": "Phòng Tài nguyên và Môi trường",
    "TP": "Phòng Tư pháp",
    "QLDT": "Phòng Quản lý đô thị",
    "TCKH": "Phòng Tài chính - Kế hoạch",
    "LDTBXH": "Phòng Lao động - Thương binh và Xã hội",
    "VHTT": "Phòng Văn hóa và Thông tin",
    "VP": "Văn phòng HĐND và UBND thành phố",
}
# Wards and communes with their share of the commune-level dossiers (some get very few).
WARDS = {
    "PCL": ("UBND phường Chi Lăng", 30), "PHVT": ("UBND phường Hoàng Văn Thụ", 25),
    "PVT": ("UBND phường Vĩnh Trại", 15), "PDK": ("UBND phường Đông Kinh", 12),
    "PTT": ("UBND phường Tam Thanh", 10), "XMP": ("UBND xã Mai Pha", 5),
    "XHD": ("UBND xã Hoàng Đồng", 2), "XQL": ("UBND xã Quảng Lạc", 1),
}
# District-level field -> deciding unit. Fields missing here (education, home affairs …) get no dossiers.
FIELD_UNIT = {
    "Đất đai": "TNMT", "Môi trường": "TNMT", "Tài nguyên nước": "TNMT",
    "Hộ tịch": "TP", "Chứng thực": "TP", "Bồi thường nhà nước": "TP",
    "Xây dựng": "QLDT", "Quy hoạch xây dựng": "QLDT", "Nhà ở": "QLDT",
    "Thành lập và hoạt động của hộ kinh doanh": "TCKH", "Lưu thông hàng hóa trong nước": "TCKH",
    "Bảo trợ xã hội": "LDTBXH", "Người có công": "LDTBXH",
    "Văn hóa": "VHTT", "Thi đua - Khen thưởng": "VP", "Tôn giáo": "VP",
}
# The 10 desk staff (synthetic names), by the unit whose dossiers they receive.
STAFF = {
    "TNMT": ["Hoàng Thị Thu Hà", "Nông Văn Quyết", "Lương Thị Minh Phương"],
    "TP": ["Vi Thị Hồng Nhung", "Triệu Văn Thành"],
    "QLDT": ["Lộc Văn Hưng"], "TCKH": ["Nguyễn Thị Lan Anh"], "LDTBXH": ["Đinh Thị Mai"],
    "VHTT": ["Chu Văn Tùng"], "VP": ["Dương Minh Đức"],
}
COMMUNE_STAFF = STAFF["TP"] + STAFF["VP"]  # commune dossiers at the city desk go through these two units

# Procedures that get dossiers: (level, field, name, code, time limit, fee, relative frequency).
USED_PROCEDURES = [
    (DISTRICT, "Đất đai", "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với "
     "hộ gia đình, cá nhân", "2.000720", "15 ngày làm việc", "Không", 150),
    (DISTRICT, "Đất đai", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển "
     "nhượng, tặng cho, thừa kế", "1.004227", "10 ngày làm việc", "Không", 120),
    (DISTRICT, "Đất đai", "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn "
     "liền với đất lần đầu", "1.003010", "30 ngày làm việc", "100.000 đồng", 90),
    (DISTRICT, "Đất đai", "Giao đất, cho thuê đất cho hộ gia đình, cá nhân đối với trường hợp giao đất, cho thuê "
     "đất không thông qua hình thức đấu giá quyền sử dụng đất", "1.004240", "20 ngày làm việc", "Không", 45),
    (DISTRICT, "Đất đai", "Gia hạn sử dụng đất nông nghiệp của hộ gia đình, cá nhân",
     "1.001990", "07 ngày làm việc", "Không", 20),
    (DISTRICT, "Đất đai", "Thu hồi đất do người sử dụng đất tự nguyện trả lại đất",
     "1.004203", "20 ngày làm việc", "Không", 5),
    (DISTRICT, "Đất đai", "Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp huyện",
     "2.000381", "Không quy định", "Không", 6),
    (DISTRICT, "Môi trường", "Xác nhận đăng ký kế hoạch bảo vệ môi trường",
     "1.004138", "10 ngày làm việc", "Không", 8),
    (DISTRICT, "Hộ tịch", "Thay đổi, cải chính, bổ sung hộ tịch, xác định lại dân tộc",
     "1.001234", "03 ngày làm việc", "28.000 đồng", 70),
    (DISTRICT, "Hộ tịch", "Cấp bản sao trích lục hộ tịch", "2.000635", "Trong ngày", "8.000 đồng/bản", 45),
    (DISTRICT, "Hộ tịch", "Đăng ký khai sinh có yếu tố nước ngoài", "1.001695",
     "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "75.000 đồng", 40),
    (DISTRICT, "Hộ tịch", "Đăng ký kết hôn có yếu tố nước ngoài", "1.000894",
     "15 ngày làm việc", "1.500.000 đồng", 35),
    (DISTRICT, "Hộ tịch", "Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có "
     "thẩm quyền của nước ngoài", "1.001766", "05 ngày làm việc", "75.000 đồng", 20),
    (DISTRICT, "Hộ tịch", "Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài", "1.001670",
     "15 ngày làm việc", "1.500.000 đồng", 8),
    (DISTRICT, "Hộ tịch", "Đăng ký khai tử có yếu tố nước ngoài", "2.000528", "03 ngày làm việc", "75.000 đồng", 4),
    (DISTRICT, "Chứng thực", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
     "của nước ngoài cấp hoặc chứng nhận", "2.000908", "Trong ngày", "2.000 đồng/trang", 30),
    (DISTRICT, "Chứng thực", "Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật của Phòng Tư "
     "pháp", "2.000884", "Trong ngày", "10.000 đồng/trường hợp", 15),
    (DISTRICT, "Xây dựng", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "1.009990", "15 ngày làm việc",
     "75.000 đồng", 90),
    (DISTRICT, "Xây dựng", "Cấp giấy phép sửa chữa, cải tạo đối với công trình, nhà ở riêng lẻ", "1.009991",
     "15 ngày làm việc", "75.000 đồng", 15),
    (DISTRICT, "Xây dựng", "Điều chỉnh giấy phép xây dựng đối với công trình, nhà ở riêng lẻ", "1.009993",
     "10 ngày làm việc", "75.000 đồng", 5),
    (DISTRICT, "Xây dựng", "Gia hạn giấy phép xây dựng đối với công trình, nhà ở riêng lẻ", "1.009994",
     "05 ngày làm việc", "10.000 đồng", 5),
    (DISTRICT, "Thành lập và hoạt động của hộ kinh doanh", "Đăng ký thành lập hộ kinh doanh", "1.001612",
     "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "100.000 đồng", 80),
    (DISTRICT, "Thành lập và hoạt động của hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
     "2.000575", "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "50.000 đồng", 30),
    (DISTRICT, "Thành lập và hoạt động của hộ kinh doanh", "Tạm ngừng hoạt động hộ kinh doanh", "1.001266",
     "03 ngày làm việc", "Không", 10),
    (DISTRICT, "Thành lập và hoạt động của hộ kinh doanh", "Chấm dứt hoạt động hộ kinh doanh", "1.001570",
     "03 ngày làm việc", "Không", 8),
    (DISTRICT, "Lưu thông hàng hóa trong nước", "Cấp Giấy phép bán lẻ sản phẩm rượu", "2.000620",
     "10 ngày làm việc", "1.100.000 đồng", 6),
    (DISTRICT, "Bảo trợ xã hội", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm "
     "sóc, nuôi dưỡng hàng tháng", "2.000286", "20 ngày làm việc", "Không", 12),
    (DISTRICT, "Bảo trợ xã hội", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "1.001776",
     "03 ngày làm việc", "Không", 6),
    (DISTRICT, "Người có công", "Giải quyết chế độ trợ cấp một lần đối với người được cử làm chuyên gia sang giúp "
     "Lào, Căm-pu-chia", "1.002410", "Không quy định", "Không", 3),
    (DISTRICT, "Văn hóa", "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "1.001029",
     "05 ngày làm việc", "4.000.000 đồng", 4),
    (DISTRICT, "Thi đua - Khen thưởng", "Tặng danh hiệu Lao động tiên tiến", "1.000775", "20 ngày làm việc",
     "Không", 6),
    (DISTRICT, "Thi đua - Khen thưởng", "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thi "
     "đua theo đợt hoặc chuyên đề", "1.000748", "20 ngày làm việc", "Không", 5),
    (DISTRICT, "Tôn giáo", "Đăng ký hoạt động tín ngưỡng", "1.001090", "15 ngày làm việc", "Không", 1),
    (COMMUNE, "Hộ tịch", "Đăng ký khai sinh", "1.001193", "Trong ngày", "Không", 30),
    (COMMUNE, "Hộ tịch", "Đăng ký kết hôn", "1.000656", "Trong ngày", "Không", 20),
    (COMMUNE, "Hộ tịch", "Cấp Giấy xác nhận tình trạng hôn nhân", "1.004873", "03 ngày làm việc", "3.000 đồng", 15),
    (COMMUNE, "Hộ tịch", "Đăng ký khai tử", "1.000419", "Trong ngày", "Không", 6),
    (COMMUNE, "Chứng thực", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và "
     "nhà ở", "2.001035", "02 ngày làm việc", "50.000 đồng", 12),
    (COMMUNE, "Đất đai", "Hòa giải tranh chấp đất đai", "1.003554",
     "Không quy định", "Không", 3),
]
COMMUNE_SHARE = 0.07  # share of the dossiers that are commune-level

# Catalog entries that get no dossiers, by level and field. Templates with "{}" are expanded over their objects.
UNUSED_DISTRICT = {
    "Đất đai": [
        "Thu hồi đất ở trong khu vực bị ô nhiễm môi trường có nguy cơ đe dọa tính mạng con người",
        "Thu hồi đất ở có nguy cơ sạt lở, sụt lún, bị ảnh hưởng bởi hiện tượng thiên tai khác đe dọa tính mạng con "
        "người",
        "Xác định lại diện tích đất ở cho hộ gia đình, cá nhân đã được cấp Giấy chứng nhận trước ngày 01/7/2004",
        "Đính chính Giấy chứng nhận đã cấp",
        "Thu hồi Giấy chứng nhận đã cấp không đúng quy định của pháp luật đất đai do người sử dụng đất phát hiện",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
        "Cấp lại Giấy chứng nhận hoặc cấp lại Trang bổ sung của Giấy chứng nhận do bị mất",
        "Tách thửa hoặc hợp thửa đất",
        "Đăng ký đất đai lần đầu đối với trường hợp được Nhà nước giao đất để quản lý",
        "Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề",
        "Chuyển đổi quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân",
        "Xóa đăng ký cho thuê, cho thuê lại, góp vốn bằng quyền sử dụng đất",
        "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Cung cấp dữ liệu đất đai",
        "Thẩm định nhu cầu sử dụng đất để xem xét giao đất, cho thuê đất không thông qua hình thức đấu giá quyền "
        "sử dụng đất đối với hộ gia đình, cá nhân",
    ],
    "Môi trường": [
        "Xác nhận đăng ký đề án bảo vệ môi trường đơn giản",
        "Tham vấn ý kiến trong quá trình thực hiện đánh giá tác động môi trường",
        "Kiểm tra, xác nhận hoàn thành công trình bảo vệ môi trường",
    ],
    "Tài nguyên nước": [
        "Đăng ký khai thác nước dưới đất",
        "Lấy ý kiến Ủy ban nhân dân cấp huyện đối với các dự án đầu tư có chuyển nước từ nguồn nước nội tỉnh",
    ],
    "Hộ tịch": [
        "Đăng ký khai sinh có yếu tố nước ngoài cho người đã có hồ sơ, giấy tờ cá nhân",
        "Đăng ký giám hộ có yếu tố nước ngoài",
        "Đăng ký chấm dứt giám hộ có yếu tố nước ngoài",
        "Đăng ký khai sinh kết hợp nhận cha, mẹ, con có yếu tố nước ngoài",
        "Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có "
        "thẩm quyền của nước ngoài",
        "Ghi vào Sổ hộ tịch việc hộ tịch khác của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền "
        "của nước ngoài",
        "Đăng ký lại khai sinh có yếu tố nước ngoài",
        "Đăng ký lại kết hôn có yếu tố nước ngoài",
        "Đăng ký lại khai tử có yếu tố nước ngoài",
    ],
    "Chứng thực": [
        "Chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
        "Sửa lỗi sai sót trong hợp đồng, giao dịch",
        "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "Chứng thực di chúc",
        "Chứng thực văn bản từ chối nhận di sản",
        "Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản",
        "Chứng thực văn bản khai nhận di sản mà di sản là động sản",
    ],
    "Bồi thường nhà nước": [
        "Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại",
        "Phục hồi danh dự",
        "Giải quyết yêu cầu bồi thường tại cơ quan giải quyết bồi thường",
        "Chi trả tiền bồi thường",
    ],
    "Phổ biến, giáo dục pháp luật": [
        "Công nhận báo cáo viên pháp luật cấp huyện",
        "Miễn nhiệm báo cáo viên pháp luật cấp huyện",
    ],
    "Xây dựng": [
        "Cấp {}", "Cấp lại {}", "Điều chỉnh {}", "Gia hạn {}",
        ("giấy phép xây dựng công trình tôn giáo", "giấy phép xây dựng công trình tín ngưỡng",
         "giấy phép xây dựng công trình quảng cáo", "giấy phép xây dựng có thời hạn", "giấy phép di dời công trình",
         "giấy phép xây dựng công trình theo tuyến trong đô thị"),
        "Thẩm định Báo cáo kinh tế - kỹ thuật đầu tư xây dựng",
        "Thẩm định thiết kế bản vẽ thi công, dự toán xây dựng",
        "Cấp giấy phép chặt hạ, dịch chuyển cây xanh",
        "Cấp giấy phép đào đường, vỉa hè để thi công công trình",
    ],
    "Quy hoạch xây dựng": [
        "Thẩm định nhiệm vụ, đồ án quy hoạch chi tiết xây dựng của dự án đầu tư xây dựng công trình theo hình "
        "thức kinh doanh",
        "Cung cấp thông tin về quy hoạch xây dựng",
        "Cấp giấy phép quy hoạch dự án đầu tư xây dựng công trình",
        "Thẩm định đồ án, đồ án điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng",
        "Thẩm định nhiệm vụ, nhiệm vụ điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng",
    ],
    "Nhà ở": [
        "Thuê nhà ở công vụ thuộc thẩm quyền quản lý của Ủy ban nhân dân cấp huyện",
        "Bán nhà ở cũ thuộc sở hữu nhà nước",
        "Xác nhận hộ gia đình thuộc diện được hỗ trợ về nhà ở",
    ],
    "Giao thông vận tải": [
        "Cấp giấy phép thi công công trình đường bộ trên đường huyện",
        "Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ của "
        "đường huyện",
        "Đăng ký phương tiện thủy nội địa lần đầu",
        "Đăng ký lại phương tiện thủy nội địa",
        "Xóa giấy chứng nhận đăng ký phương tiện thủy nội địa",
    ],
    "Thành lập và hoạt động của hộ kinh doanh": [
        "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
        "Đăng ký thay đổi địa chỉ kinh doanh của hộ kinh doanh sang quận, huyện khác",
    ],
    "Thành lập và hoạt động của hợp tác xã": [
        "Đăng ký thành lập hợp tác xã",
        "Đăng ký thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
        "Đăng ký thay đổi tên, địa chỉ trụ sở chính, ngành, nghề sản xuất, kinh doanh của hợp tác xã",
        "Đăng ký khi hợp tác xã chia", "Đăng ký khi hợp tác xã tách", "Đăng ký khi hợp tác xã hợp nhất",
        "Đăng ký khi hợp tác xã sáp nhập",
        "Cấp lại giấy chứng nhận đăng ký hợp tác xã",
        "Giải thể tự nguyện hợp tác xã",
        "Tạm ngừng hoạt động của hợp tác xã",
        "Thông báo thay đổi nội dung đăng ký hợp tác xã",
        "Thu hồi Giấy chứng nhận đăng ký hợp tác xã",
    ],
    "Lưu thông hàng hóa trong nước": [
        "Cấp {}", "Cấp lại {}", "Cấp sửa đổi, bổ sung {}",
        ("Giấy phép bán lẻ sản phẩm thuốc lá", "Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh",
         "Giấy phép bán rượu tiêu dùng tại chỗ", "Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai"),
        "Cấp lại Giấy phép bán lẻ sản phẩm rượu",
        "Cấp sửa đổi, bổ sung Giấy phép bán lẻ sản phẩm rượu",
    ],
    "An toàn thực phẩm": [
        "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống",
        "Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống",
        "Xác nhận kiến thức về an toàn thực phẩm cho người trực tiếp sản xuất, kinh doanh thực phẩm",
    ],
    "Tài chính": [
        "Thẩm tra, phê duyệt quyết toán dự án hoàn thành sử dụng vốn ngân sách cấp huyện",
        "Quyết định mua sắm tài sản công phục vụ hoạt động của cơ quan, tổ chức, đơn vị",
        "Quyết định thanh lý tài sản công",
        "Quyết định điều chuyển tài sản công",
        "Quyết định bán tài sản công",
        "Quyết định tiêu hủy tài sản công",
    ],
    "Bảo trợ xã hội": [
        "Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội cấp tỉnh",
        "Thành lập cơ sở trợ giúp xã hội công lập thuộc Ủy ban nhân dân cấp huyện",
        "Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền của Phòng Lao động - Thương binh "
        "và Xã hội",
        "Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội có giấy phép hoạt động do Phòng Lao động - Thương "
        "binh và Xã hội cấp",
        "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở",
        "Hỗ trợ học văn hóa, học nghề, trợ cấp khó khăn ban đầu cho nạn nhân bị mua bán",
    ],
    "Người có công": [
        "Giải quyết chế độ ưu đãi đối với {}",
        ("thân nhân liệt sĩ", "thương binh, người hưởng chính sách như thương binh", "bệnh binh",
         "người hoạt động kháng chiến bị nhiễm chất độc hóa học", "người có công giúp đỡ cách mạng",
         "người hoạt động cách mạng, hoạt động kháng chiến bị địch bắt tù, đày",
         "Bà mẹ Việt Nam anh hùng", "Anh hùng lực lượng vũ trang nhân dân, Anh hùng lao động trong thời kỳ kháng "
         "chiến", "con đẻ của người hoạt động kháng chiến bị nhiễm chất độc hóa học"),
        "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
        "Giải quyết chế độ mai táng phí đối với cựu chiến binh",
        "Hỗ trợ người có công đi làm phương tiện, dụng cụ trợ giúp chỉnh hình",
        "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ",
    ],
    "Lao động": [
        "Giải quyết tranh chấp lao động tập thể về quyền thông qua hòa giải viên lao động",
        "Đăng ký nội quy lao động của doanh nghiệp có trụ sở trên địa bàn",
        "Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng",
    ],
    "Giáo dục nghề nghiệp": [
        "Thành lập trung tâm giáo dục nghề nghiệp công lập thuộc huyện",
        "Tổ chức lại, cho phép tổ chức lại trung tâm giáo dục nghề nghiệp",
        "Giải thể, chấm dứt hoạt động trung tâm giáo dục nghề nghiệp",
        "Hỗ trợ đào tạo nghề trình độ sơ cấp cho lao động nông thôn",
    ],
    "Trẻ em": [
        "Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc người gây tổn "
        "hại cho trẻ em",
        "Chấm dứt việc chăm sóc thay thế cho trẻ em",
        "Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em bị xâm hại",
    ],
    "Phòng, chống tệ nạn xã hội": [
        "Quyết định quản lý cai nghiện ma túy tự nguyện tại gia đình",
        "Quyết định cai nghiện ma túy tự nguyện tại cộng đồng",
        "Hoãn chấp hành quyết định áp dụng biện pháp quản lý sau cai tại trung tâm",
    ],
    "Văn hóa": [
        "Cấp lại Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        "Điều chỉnh Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        "Thông báo tổ chức lễ hội", "Đăng ký tổ chức lễ hội",
        "Công nhận “Cơ quan đạt chuẩn văn hóa”, “Đơn vị đạt chuẩn văn hóa”, “Doanh nghiệp đạt chuẩn văn hóa”",
        "Công nhận lần đầu “Phường, thị trấn đạt chuẩn văn minh đô thị”",
        "Công nhận lần đầu “Xã đạt chuẩn văn hóa nông thôn mới”",
        "Công nhận lại “Phường, thị trấn đạt chuẩn văn minh đô thị”",
        "Công nhận lại “Xã đạt chuẩn văn hóa nông thôn mới”",
    ],
    "Thư viện": [
        "Thông báo thành lập thư viện đối với thư viện cộng đồng",
        "Thông báo sáp nhập, hợp nhất, chia, tách thư viện",
        "Thông báo chấm dứt hoạt động thư viện cộng đồng",
    ],
    "Gia đình": [
        "Đăng ký hoạt động đối với cơ sở tư vấn về phòng, chống bạo lực gia đình",
        "Đăng ký lại hoạt động đối với cơ sở tư vấn về phòng, chống bạo lực gia đình",
        "Đăng ký hoạt động đối với cơ sở hỗ trợ nạn nhân bạo lực gia đình",
        "Đăng ký lại hoạt động đối với cơ sở hỗ trợ nạn nhân bạo lực gia đình",
    ],
    "Phát thanh, truyền hình và thông tin điện tử": [
        "Cấp {}", "Sửa đổi, bổ sung {}", "Gia hạn {}", "Cấp lại {}",
        ("Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",),
    ],
    "Xuất bản, in và phát hành": [
        "Đăng ký hoạt động cơ sở dịch vụ photocopy",
        "Thay đổi thông tin đăng ký hoạt động cơ sở dịch vụ photocopy",
    ],
    "Thi đua - Khen thưởng": [
        "Tặng danh hiệu Chiến sĩ thi đua cơ sở",
        "Tặng danh hiệu Tập thể lao động tiên tiến",
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thực hiện nhiệm vụ chính trị",
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích đột xuất",
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện cho gia đình",
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích đối ngoại",
    ],
    "Tôn giáo": [
        "Đăng ký bổ sung hoạt động tín ngưỡng",
        "Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở nhiều xã thuộc một "
        "huyện",
        "Thông báo danh mục hoạt động tôn giáo bổ sung đối với tổ chức có địa bàn hoạt động tôn giáo ở nhiều xã "
        "thuộc một huyện",
        "Thông báo tổ chức quyên góp ngoài địa bàn một xã nhưng trong địa bàn một huyện",
        "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở một huyện",
        "Đề nghị giảng đạo ngoài địa bàn phụ trách, cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ "
        "chức ở một huyện",
        "Thông báo thuyên chuyển chức sắc, chức việc, nhà tu hành",
        "Thông báo người được bổ nhiệm, bầu cử, suy cử làm chức việc",
        "Đề nghị sinh hoạt tôn giáo tập trung của người nước ngoài cư trú hợp pháp tại Việt Nam",
    ],
    "Tổ chức hành chính, đơn vị sự nghiệp công lập": [
        "Thẩm định thành lập đơn vị sự nghiệp công lập", "Thẩm định tổ chức lại đơn vị sự nghiệp công lập",
        "Thẩm định giải thể đơn vị sự nghiệp công lập",
    ],
    "Tổ chức phi chính phủ": [
        "Công nhận ban vận động thành lập hội", "Thành lập hội", "Phê duyệt điều lệ hội",
        "Chia, tách; sáp nhập; hợp nhất hội", "Đổi tên hội", "Hội tự giải thể",
        "Báo cáo tổ chức đại hội nhiệm kỳ, đại hội bất thường của hội",
        "Cấp giấy phép thành lập và công nhận điều lệ quỹ",
        "Công nhận quỹ đủ điều kiện hoạt động và công nhận thành viên hội đồng quản lý quỹ",
        "Cho phép quỹ hoạt động trở lại sau khi bị đình chỉ có thời hạn hoạt động",
    ],
    "Công chức, viên chức": [
        "Thi tuyển công chức cấp xã", "Xét tuyển công chức cấp xã", "Tiếp nhận vào làm công chức cấp xã",
        "Thi tuyển viên chức", "Xét tuyển viên chức", "Thi hoặc xét thăng hạng chức danh nghề nghiệp viên chức",
    ],
    "Giải quyết khiếu nại, tố cáo": [
        "Giải quyết khiếu nại lần đầu tại cấp huyện", "Giải quyết khiếu nại lần hai tại cấp huyện",
        "Giải quyết tố cáo tại cấp huyện", "Tiếp công dân tại cấp huyện", "Xử lý đơn tại cấp huyện",
    ],
    "Giáo dục và Đào tạo": [
        "Thành lập {}", "Cho phép {} hoạt động giáo dục", "Sáp nhập, chia, tách {}", "Giải thể {}",
        "Cho phép {} hoạt động giáo dục trở lại",
        ("trường mầm non", "trường tiểu học", "trường trung học cơ sở", "trường phổ thông dân tộc bán trú",
         "nhà trẻ"),
        "Chuyển trường đối với học sinh trung học cơ sở",
        "Xét tuyển sinh vào trường phổ thông dân tộc nội trú",
        "Công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        "Tiếp nhận đối tượng học bổ túc trung học cơ sở",
        "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú",
        "Hỗ trợ ăn trưa cho trẻ em mẫu giáo",
    ],
    "Nông nghiệp": [
        "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch bệnh",
        "Phê duyệt kế hoạch khuyến nông địa phương",
        "Xác nhận bảng kê lâm sản",
        "Công nhận doanh nghiệp nông nghiệp ứng dụng công nghệ cao",
        "Thẩm định, phê duyệt phương án ứng phó thiên tai cho công trình, vùng hạ du đập",
    ],
    "Y tế": [
        "Cấp giấy chứng nhận đủ điều kiện kinh doanh thuốc đối với tủ thuốc trạm y tế",
        "Xét hưởng chính sách hỗ trợ cho đối tượng sinh con đúng chính sách dân số",
    ],
}
UNUSED_COMMUNE = {
    "Hộ tịch": [
        "Đăng ký nhận cha, mẹ, con", "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", "Đăng ký giám hộ",
        "Đăng ký chấm dứt giám hộ", "Thay đổi, cải chính, bổ sung hộ tịch cho người chưa đủ 14 tuổi",
        "Đăng ký khai sinh lưu động", "Đăng ký kết hôn lưu động", "Đăng ký khai tử lưu động",
        "Đăng ký lại khai sinh", "Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân",
        "Đăng ký lại kết hôn", "Đăng ký lại khai tử",
        "Liên thông các thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho "
        "trẻ em dưới 6 tuổi",
        "Liên thông các thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất",
        "Đăng ký khai sinh cho trẻ em có yếu tố nước ngoài ở khu vực biên giới",
        "Đăng ký kết hôn của công dân Việt Nam với công dân nước láng giềng ở khu vực biên giới",
        "Đăng ký khai tử cho người nước láng giềng cư trú ổn định lâu dài ở khu vực biên giới",
    ],
    "Nuôi con nuôi": [
        "Đăng ký việc nuôi con nuôi trong nước", "Đăng ký lại việc nuôi con nuôi trong nước",
        "Giải quyết việc người nước ngoài cư trú ở khu vực biên giới nước láng giềng nhận trẻ em Việt Nam làm con "
        "nuôi",
    ],
    "Chứng thực": [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp",
        "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ)",
        "Chứng thực di chúc tại Ủy ban nhân dân cấp xã",
        "Chứng thực văn bản từ chối nhận di sản tại Ủy ban nhân dân cấp xã",
        "Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là quyền sử dụng đất, nhà ở",
        "Chứng thực văn bản khai nhận di sản mà di sản là quyền sử dụng đất, nhà ở",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch tại Ủy ban nhân dân cấp xã",
        "Sửa lỗi sai sót trong hợp đồng, giao dịch tại Ủy ban nhân dân cấp xã",
        "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực tại Ủy ban nhân dân cấp xã",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản tại Ủy ban nhân dân cấp xã",
    ],
    "Hòa giải cơ sở": [
        "Thủ tục công nhận hòa giải viên", "Thủ tục công nhận tổ trưởng tổ hòa giải",
        "Thủ tục thôi làm hòa giải viên", "Thủ tục thanh toán thù lao cho hòa giải viên",
    ],
    "Phổ biến, giáo dục pháp luật": [
        "Công nhận tuyên truyền viên pháp luật", "Cho thôi làm tuyên truyền viên pháp luật",
        "Công nhận xã, phường, thị trấn đạt chuẩn tiếp cận pháp luật",
    ],
    "Bảo trợ xã hội": [
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng tại Ủy ban nhân dân cấp xã",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội tại Ủy ban nhân dân cấp xã",
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "Đổi, cấp lại Giấy xác nhận khuyết tật",
        "Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí mai táng",
        "Nhận chăm sóc, nuôi dưỡng đối tượng cần bảo vệ khẩn cấp",
        "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng có hoàn cảnh khó khăn",
        "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",
        "Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm",
    ],
    "Người có công": [
        "Xác nhận vào đơn đề nghị {}",
        ("di chuyển hài cốt liệt sĩ", "thăm viếng mộ liệt sĩ", "hưởng trợ cấp thờ cúng liệt sĩ",
         "giải quyết chế độ người hoạt động kháng chiến bị nhiễm chất độc hóa học",
         "hưởng chế độ ưu đãi đối với người có công giúp đỡ cách mạng"),
        "Thủ tục giải quyết chế độ mai táng phí đối với thanh niên xung phong thời kỳ chống Pháp",
        "Thủ tục lập sổ theo dõi và cấp phương tiện trợ giúp, dụng cụ chỉnh hình",
        "Ủy quyền hưởng trợ cấp, phụ cấp ưu đãi",
        "Xác nhận thân nhân của người có công",
    ],
    "Trẻ em": [
        "Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay thế",
        "Thông báo nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay "
        "thế là người thân thích của trẻ em",
        "Chuyển trẻ em đang được chăm sóc thay thế tại cơ sở trợ giúp xã hội đến cá nhân, gia đình nhận chăm sóc "
        "thay thế",
    ],
    "Phòng, chống tệ nạn xã hội": [
        "Đăng ký cai nghiện ma túy tự nguyện tại cộng đồng",
        "Lập hồ sơ đề nghị áp dụng biện pháp giáo dục tại xã, phường, thị trấn",
        "Miễn chấp hành thời gian còn lại của biện pháp giáo dục tại xã, phường, thị trấn",
    ],
    "Lao động": [
        "Xác nhận hộ gia đình làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình",
        "Hỗ trợ cho người lao động thuộc đối tượng là người dân tộc thiểu số đi làm việc ở nước ngoài",
        "Xác nhận người lao động có hoàn cảnh khó khăn để được hỗ trợ học nghề",
    ],
    "Văn hóa": [
        "Xét tặng danh hiệu “Gia đình văn hóa” hàng năm", "Xét tặng Giấy khen “Gia đình văn hóa”",
        "Công nhận lần đầu “Thôn, tổ dân phố văn hóa”", "Công nhận lại “Thôn, tổ dân phố văn hóa”",
        "Thông báo tổ chức lễ hội cấp xã", "Đăng ký tổ chức lễ hội cấp xã",
    ],
    "Gia đình": [
        "Đăng ký hoạt động đối với cơ sở hỗ trợ nạn nhân bạo lực gia đình tại cấp xã",
        "Thông báo hoạt động đối với cơ sở tư vấn về phòng, chống bạo lực gia đình tại cấp xã",
    ],
    "Thư viện": ["Thông báo thành lập thư viện cộng đồng tại cấp xã"],
    "Thi đua - Khen thưởng": [
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thực hiện nhiệm vụ chính trị",
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thi đua theo đợt hoặc chuyên đề",
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích đột xuất",
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho gia đình",
        "Xét tặng danh hiệu Lao động tiên tiến tại cấp xã", "Xét tặng danh hiệu Chiến sĩ thi đua cơ sở tại cấp xã",
    ],
    "Tôn giáo": [
        "Đăng ký sinh hoạt tôn giáo tập trung", "Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn "
        "hoạt động tôn giáo ở một xã", "Thông báo danh mục hoạt động tôn giáo bổ sung đối với tổ chức có địa bàn "
        "hoạt động tôn giáo ở một xã", "Đăng ký thay đổi người đại diện của nhóm sinh hoạt tôn giáo tập trung",
        "Đề nghị thay đổi địa điểm sinh hoạt tôn giáo tập trung trong địa bàn một xã",
        "Thông báo tổ chức quyên góp trong địa bàn một xã của cơ sở tín ngưỡng, tổ chức tôn giáo",
        "Thông báo về việc thay đổi địa điểm sinh hoạt tôn giáo tập trung đến địa bàn xã khác",
        "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo có quy mô tổ chức ở một xã",
    ],
    "Đất đai": [
        "Xác nhận nguồn gốc đất, thời điểm sử dụng đất phục vụ cấp Giấy chứng nhận",
        "Xác nhận hộ gia đình, cá nhân trực tiếp sản xuất nông nghiệp",
    ],
    "Môi trường": [
        "Tham vấn ý kiến trong quá trình thực hiện đánh giá tác động môi trường tại cấp xã",
        "Xác nhận đăng ký kế hoạch bảo vệ môi trường đối với hộ gia đình, cá nhân sản xuất, kinh doanh, dịch vụ",
    ],
    "Xây dựng": ["Xác nhận nhà ở hợp pháp để hưởng chính sách hỗ trợ",
                 "Thông báo khởi công xây dựng nhà ở riêng lẻ tại nông thôn"],
    "Nông nghiệp": [
        "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai", "Hỗ trợ dự án liên kết",
        "Phê duyệt kế hoạch khuyến nông tại cấp xã", "Xác nhận nguồn gốc giống vật nuôi",
        "Xác nhận diện tích cây trồng bị thiệt hại do thiên tai", "Hỗ trợ cây giống, con giống cho hộ nghèo",
    ],
    "Lâm nghiệp": [
        "Xác nhận bảng kê lâm sản tại cấp xã", "Phê duyệt phương án khai thác thực vật rừng thông thường",
        "Giao rừng cho cộng đồng dân cư thôn",
    ],
    "Thủy lợi": [
        "Đăng ký khai thác nước mặt quy mô nhỏ", "Phê duyệt kế hoạch bảo trì công trình thủy lợi nhỏ",
    ],
    "Phòng, chống thiên tai": [
        "Hỗ trợ trực tiếp cho hộ gia đình có nhà bị đổ, sập, trôi, cháy hoàn toàn do thiên tai",
        "Hỗ trợ hộ gia đình phải di dời khẩn cấp do nguy cơ sạt lở, lũ, lụt",
        "Đăng ký tham gia lực lượng xung kích phòng, chống thiên tai cấp xã",
    ],
    "Giáo dục và Đào tạo": [
        "Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục",
        "Sáp nhập, chia, tách nhóm trẻ, lớp mẫu giáo độc lập",
        "Giải thể nhóm trẻ, lớp mẫu giáo độc lập",
        "Thành lập trung tâm học tập cộng đồng",
        "Cho phép trung tâm học tập cộng đồng hoạt động trở lại",
    ],
    "Giải quyết khiếu nại, tố cáo": [
        "Giải quyết khiếu nại lần đầu tại cấp xã", "Giải quyết tố cáo tại cấp xã", "Tiếp công dân tại cấp xã",
        "Xử lý đơn tại cấp xã",
    ],
    "Dân số": [
        "Xét hưởng chính sách hỗ trợ cho đối tượng sinh con đúng chính sách dân số tại cấp xã",
        "Cấp giấy chứng sinh cho trường hợp trẻ được sinh ra ngoài cơ sở khám bệnh, chữa bệnh",
    ],
    "Quốc phòng": [
        "Đăng ký nghĩa vụ quân sự lần đầu", "Đăng ký nghĩa vụ quân sự bổ sung",
        "Đăng ký nghĩa vụ quân sự chuyển đi khi thay đổi nơi cư trú", "Đăng ký miễn gọi nhập ngũ thời chiến",
    ],
}
UNUSED_LIMITS = ["03 ngày làm việc", "05 ngày làm việc", "07 ngày làm việc", "10 ngày làm việc", "15 ngày làm việc",
                 "20 ngày làm việc", "30 ngày làm việc", "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
                 "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "Trong ngày", "Không quy định"]
UNUSED_LIMIT_WEIGHTS = [12, 14, 6, 16, 12, 8, 5, 6, 6, 8, 2]
FEES = ["Không", "Không", "Không", "Không", "20.000 đồng", "50.000 đồng", "100.000 đồng", "200.000 đồng",
        "10.000 đồng/bản"]

# ----------------------------------------------------------------------------------------------------------------
# Quarters and exports
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    label: str
    start: dt.date
    end: dt.date
    exported: dt.date       # the export shows each dossier as it stood at the start of this day
    online_share: float     # share of the quarter's dossiers submitted online
    new_software: bool      # 2019: other headers, numeric codes, more date formats

    @property
    def file_name(self) -> str:
        return f"{self.label}_ho-so_TP-Lang-Son.xlsx"


QUARTERS = [
    Quarter("2018-Q1", dt.date(2018, 1, 1), dt.date(2018, 3, 31), dt.date(2018, 4, 4), 0.03, False),
    Quarter("2018-Q2", dt.date(2018, 4, 1), dt.date(2018, 6, 30), dt.date(2018, 7, 5), 0.05, False),
    Quarter("2018-Q3", dt.date(2018, 7, 1), dt.date(2018, 9, 30), dt.date(2018, 10, 4), 0.08, False),
    Quarter("2018-Q4", dt.date(2018, 10, 1), dt.date(2018, 12, 31), dt.date(2019, 1, 4), 0.11, False),
    Quarter("2019-Q1", dt.date(2019, 1, 1), dt.date(2019, 3, 31), dt.date(2019, 4, 4), 0.15, True),
]
POSTAL_SHARE = 0.015
MONTHLY_RECEIVED = (90, 106)  # dossiers received per month, drawn uniformly from this range
CARRIED_FROM_2017 = 6         # received in December 2017, unfinished on 01/01/2018
STUCK = 6                     # dossiers never finished within the horizon (disputes, missing papers)

# ----------------------------------------------------------------------------------------------------------------
# The model
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str
    level: str
    limit_text: str
    fee: str
    weight: int = 0  # relative frequency among dossiers; 0 = never used

    @property
    def limit_days(self) -> int | None:
        """The time limit in working days: 0 = "Trong ngày", None = "Không quy định"."""
        if self.limit_text == "Không quy định":
            return None
        return 0 if self.limit_text == "Trong ngày" else int(self.limit_text.split()[0])


@dataclass
class Dossier:
    """A dossier's ground-truth life."""
    proc: Procedure
    unit_code: str
    unit: str
    channel: int                 # 1 in person, 2 online, 3 public postal service
    staff: str
    applicant: str
    phone: str
    address: str
    received: dt.datetime
    due: dt.date | None          # the legal due date set at receipt
    outcome: int | None          # final status: 3 refused, 7 withdrawn, 8 stopped, 10 resolved; None = never ends
    completed: dt.datetime | None = None   # processing finished (None: not recorded, see `returned`)
    returned: dt.datetime | None = None    # the result was collected
    new_due: dt.date | None = None         # due date after an apology letter ...
    extended_on: dt.date | None = None     # ... recorded on this day
    apology_on: dt.date | None = None
    waiting: int | None = None             # 5 / 6 while waiting on the applicant ...
    waiting_from: dt.date | None = None    # ... from this day until it ends
    case_id: str = ""

    @property
    def finish(self) -> dt.date | None:
        end = self.completed or self.returned
        return end.date() if end else None


@dataclass(frozen=True)
class Row:
    """One exported row, in canonical terms (also what the tests rebuild from the files)."""
    case_id: str
    received: dt.datetime | dt.date | None
    due: dt.date | None
    original_due: dt.date | None
    completed: dt.datetime | dt.date | None
    returned: dt.datetime | dt.date | None
    status: int
    channel: int
    apology: bool = False
    code: str = ""
    name: str = ""
    field: str = ""
    unit: str = ""
    level: str = ""
    staff: str = ""
    applicant: str = ""
    phone: str = ""
    address: str = ""


@lru_cache(maxsize=None)
def add_wd(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (0: `day` itself)."""
    return add_working_days([day], n)[0].astype(dt.date)


def at(day: dt.date, rng, start=(7, 30), end=(16, 45)) -> dt.datetime:
    """A random time of `day` between `start` and `end` (hour, minute), to the minute."""
    lo, hi = start[0] * 60 + start[1], end[0] * 60 + end[1]
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=int(rng.integers(lo, hi + 1)))


def pick(rng, items, weights=None):
    p = None if weights is None else np.asarray(weights, float) / sum(weights)
    return items[int(rng.choice(len(items), p=p))]


# --- catalog -----------------------------------------------------------------------------------------------------

def _expand(entries) -> list[str]:
    """Names from a field's list: plain names, and templates ("… {} …") followed by a tuple of objects."""
    names, templates = [], []
    for entry in entries:
        if isinstance(entry, tuple):
            names += [t.format(obj) for t in templates for obj in entry]
            templates = []
        elif "{}" in entry:
            templates.append(entry)
        else:
            names.append(entry)
    return names


def build_catalog(rng) -> list[Procedure]:
    used = [Procedure(code, name, field, level, limit, fee, weight)
            for level, field, name, code, limit, fee, weight in USED_PROCEDURES]
    taken_names = {p.name for p in used}
    taken_codes = {p.code for p in used}
    catalog = list(used)
    for level, pool, size in ((DISTRICT, UNUSED_DISTRICT, N_DISTRICT), (COMMUNE, UNUSED_COMMUNE, N_COMMUNE)):
        candidates = [(field, name) for field, entries in pool.items() for name in _expand(entries)
                      if name not in taken_names]
        need = size - sum(p.level == level for p in used)
        assert len(candidates) >= need, f"{level}: only {len(candidates)} names for {need} procedures"
        for i in sorted(rng.choice(len(candidates), need, replace=False)):
            field, name = candidates[i]
            code = _new_code(rng, taken_codes)
            catalog.append(Procedure(code, name, field, level, pick(rng, UNUSED_LIMITS, UNUSED_LIMIT_WEIGHTS),
                                     pick(rng, FEES)))
            taken_names.add(name)
    # Catalog order: level, then field as first listed, then name.
    field_order = {f: i for i, f in enumerate(dict.fromkeys(
        [p.field for p in used] + list(UNUSED_DISTRICT) + list(UNUSED_COMMUNE)))}
    return sorted(catalog, key=lambda p: (p.level != DISTRICT, field_order[p.field], p.name))


def _new_code(rng, taken: set[str]) -> str:
    while True:
        code = f"{pick(rng, ['1', '2'], [7, 3])}.00{int(rng.integers(1000, 10000)):04d}"
        if code not in taken:
            taken.add(code)
            return code


# --- dossiers ----------------------------------------------------------------------------------------------------

SURNAMES = ["Nguyễn", "Hoàng", "Nông", "Lương", "Vi", "Triệu", "Lộc", "Hà", "Chu", "Lăng", "Dương", "Mông", "Hứa",
            "Trần", "Lê", "Phạm", "Đinh", "Vũ", "Bế", "La"]
MIDDLE = ["Văn", "Thị", "Minh", "Thị Thu", "Văn Hải", "Thị Hồng", "Đức", "Thanh", "Thị Ngọc", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Vân"]
STREETS = ["Trần Đăng Ninh", "Lê Lợi", "Bà Triệu", "Hùng Vương", "Phai Vệ", "Bắc Sơn", "Văn Vỉ", "Lý Thái Tổ",
           "Ngô Quyền", "Trần Hưng Đạo", "Đinh Tiên Hoàng", "Tam Thanh", "Minh Khai", "Lê Đại Hành"]
PLACES = ["phường Chi Lăng", "phường Hoàng Văn Thụ", "phường Vĩnh Trại", "phường Đông Kinh", "phường Tam Thanh",
          "xã Mai Pha", "xã Hoàng Đồng", "xã Quảng Lạc"]
PHONE_PREFIXES = ["091", "094", "098", "097", "086", "033", "035", "083", "088", "0205"]


def new_dossier(rng, used: list[Procedure], received_day: dt.date, channel: int,
                procs: list[Procedure] | None = None, outcome: int | None = 10) -> Dossier:
    """A dossier received on `received_day`, with its whole life drawn at random."""
    procs = procs or used
    if not is_working_day(received_day):  # online on a day off: skip same-day procedures
        procs = [p for p in procs if p.limit_days != 0]
    proc = pick(rng, procs, [p.weight for p in procs])
    if proc.level == DISTRICT:
        unit_code = FIELD_UNIT[proc.field]
        unit, staff = CITY_UNITS[unit_code], pick(rng, STAFF[unit_code])
    else:
        unit_code = pick(rng, list(WARDS), [w for _, w in WARDS.values()])
        unit, staff = WARDS[unit_code][0], pick(rng, COMMUNE_STAFF)
    received = at(received_day, rng, (6, 30), (21, 30)) if channel == 2 else at(received_day, rng)
    n = proc.limit_days
    d = Dossier(
        proc=proc, unit_code=unit_code, unit=unit, channel=channel, staff=staff,
        applicant=f"{pick(rng, SURNAMES)} {pick(rng, MIDDLE)} {pick(rng, GIVEN)}",
        phone=pick(rng, PHONE_PREFIXES) + "".join(str(x) for x in rng.integers(0, 10, 7)),
        address=f"Số {int(rng.integers(1, 200))}, đường {pick(rng, STREETS)}, {pick(rng, PLACES)}, "
                f"thành phố Lạng Sơn",
        received=received, due=None if n is None else add_wd(received_day, n), outcome=outcome)
    if outcome == 3:  # refused at intake: no due date, nothing else happens
        d.due = None
    elif outcome is None:
        _stick(rng, d)
    elif outcome in (7, 8):
        span = 10 if n is None else n  # withdrawn or stopped some time before the due date
        d.completed = at(add_wd(received_day, int(rng.integers(0 if n == 0 else 1, span + 1))), rng)
    else:
        _resolve(rng, d)
    if outcome != 3 and d.waiting is None and (n is None or n >= 3) and rng.random() < 0.06:
        d.waiting, d.waiting_from = pick(rng, [5, 6], [4, 1]), add_wd(received_day, 1)
    return d


def _resolve(rng, d: Dossier) -> None:
    """Draw when a resolved dossier finishes (early, on time or late), is returned, and any apology letter."""
    day, n, due = d.received.date(), d.proc.limit_days, d.due
    u = rng.random()
    if n is None:                                     # no time limit: on time by definition
        finish = add_wd(day, int(rng.integers(3, 40)))
    elif n == 0:
        finish = day if u > 0.01 else add_wd(day, 1)
    elif u < 0.035:                                   # late
        finish = add_wd(due, int(pick(rng, [1, 2, 3, 4, 5, 8], [30, 25, 15, 10, 10, 10])))
    else:
        early = [w for w in working_days(day, due) if w < due]
        finish = due if u < 0.27 or not early else pick(rng, early)
    if finish == day:
        d.completed = d.received + dt.timedelta(minutes=int(rng.integers(20, 120)))
    else:
        d.completed = at(finish, rng)
    k = pick(rng, [0, 1, 2, 3, 5, None], [30, 30, 15, 10, 5, 10])  # days until the citizen collects
    if k is not None:
        ret = add_wd(finish, k)
        d.returned = d.completed + dt.timedelta(minutes=int(rng.integers(10, 90))) if k == 0 else at(ret, rng)
    # Now and then the completion is not recorded and the return date stands in (unless that would make it late).
    if rng.random() < 0.03 and (d.returned is None or due is None or d.returned.date() <= max(due, finish)):
        d.returned = d.returned or d.completed
        d.completed = None
    if due is not None and finish > due and rng.random() < 0.85:  # late: most send an apology letter
        d.apology_on = due
        if rng.random() < 0.5:  # … and set a new due date
            d.extended_on = due
            d.new_due = add_wd(due, int(rng.integers(0, 4)) + len(working_days(due, finish)))


def _stick(rng, d: Dossier) -> None:
    """A dossier that never ends: waiting on the applicant, or overdue, maybe with an apology and a new date."""
    if rng.random() < 0.4:
        d.waiting, d.waiting_from = 5, add_wd(d.received.date(), 2)
    elif d.due is not None and rng.random() < 0.6:
        d.apology_on = d.extended_on = d.due
        d.new_due = add_wd(d.due, int(rng.integers(20, 60)))


def simulate(rng, used: list[Procedure]) -> list[Dossier]:
    """Monthly arrivals over the period, a few carried over from December 2017, a few that never end."""
    dossiers = []
    for q in QUARTERS:
        month = q.start
        while month <= q.end:
            last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            days = [month + dt.timedelta(i) for i in range((last - month).days + 1)]
            work = [x for x in days if is_working_day(x)]
            off = [x for x in days if not is_working_day(x)]
            for _ in range(int(rng.integers(*MONTHLY_RECEIVED))):
                dossiers.append(_arrival(rng, used, q, work, off))
            month = last + dt.timedelta(days=1)
    # December 2017 dossiers with long limits, unfinished on 01/01/2018.
    december = working_days(dt.date(2017, 12, 11), dt.date(2017, 12, 29))
    long_limit = [p for p in used if p.limit_days is not None and p.limit_days >= 10]
    carried = []
    while len(carried) < CARRIED_FROM_2017:
        d = new_dossier(rng, used, pick(rng, december), 1, procs=long_limit)
        if d.finish >= PERIOD_START:
            carried.append(d)
    # Land dossiers that never end.
    land = [p for p in used if p.field == "Đất đai" and p.limit_days]
    stuck = [new_dossier(rng, used, pick(rng, working_days(dt.date(2018, 4, 1), dt.date(2019, 2, 28))), 1,
                         procs=land, outcome=None) for _ in range(STUCK)]
    return carried + dossiers + stuck


def _arrival(rng, used, q: Quarter, work: list[dt.date], off: list[dt.date]) -> Dossier:
    u = rng.random()
    channel = 2 if u < q.online_share else 3 if u < q.online_share + POSTAL_SHARE else 1
    day = pick(rng, off) if channel == 2 and off and rng.random() < 0.15 else pick(rng, work)
    outcome = pick(rng, [10, 3, 7, 8], [963, 15, 17, 5])
    return new_dossier(rng, used, day, channel, outcome=outcome)


# --- exports: what each quarterly file shows -----------------------------------------------------------------------

def snapshot(d: Dossier, on: dt.date) -> Row:
    """The dossier as the software showed it at the start of day `on`."""
    extended = d.extended_on is not None and d.extended_on < on
    ended = d.finish is not None and d.finish < on
    returned = d.returned if d.returned is not None and d.returned.date() < on else None
    if d.outcome == 3:
        status = 3
    elif ended:
        status = d.outcome if d.outcome in (7, 8) else 10 if returned else 9
    elif d.waiting and d.waiting_from < on:
        status = d.waiting
    else:
        status = 2 if (on - d.received.date()).days <= 7 else 4  # 2: received days ago, not yet passed on
    return Row(
        case_id=d.case_id, received=d.received,
        due=d.new_due if extended else d.due, original_due=d.due if extended else None,
        completed=d.completed if ended else None, returned=returned if ended else None,
        status=status, channel=d.channel, apology=d.apology_on is not None and d.apology_on < on,
        code=d.proc.code, name=d.proc.name, field=d.proc.field, unit=d.unit, level=d.proc.level, staff=d.staff,
        applicant=d.applicant, phone=d.phone, address=d.address)


def quarters_of(d: Dossier) -> list[int]:
    """The files a dossier appears in: its received quarter (December 2017 goes to the first) and the quarter in
    which it finished."""
    def index(day: dt.date | None) -> int | None:
        return next((i for i, q in enumerate(QUARTERS) if q.start <= day <= q.end), None) if day else None
    first = index(d.received.date()) if d.received.date() >= QUARTERS[0].start else 0
    finished = index(d.finish)
    return sorted({first} | ({finished} if finished is not None else set()))


def latest_date(row: Row) -> dt.date:
    return max(_day(x) for x in (row.received, row.due, row.original_due, row.completed, row.returned)
               if x is not None)


def merge(files: list[list[Row]]) -> list[Row]:
    """One record per case id: the one with the latest of its dates; on a tie the later file wins."""
    best: dict[str, Row] = {}
    for rows in files:
        for row in rows:
            if row.case_id not in best or latest_date(row) >= latest_date(best[row.case_id]):
                best[row.case_id] = row
    return list(best.values())


# --- classification (DOMAIN.md, "Classifying dossiers for a period") ---------------------------------------------

HEADLINE_KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
                 "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time",
                 "pending_overdue", "withdrawn"]


def _day(x) -> dt.date | None:
    return x.date() if isinstance(x, dt.datetime) else x


def classify(row: Row, start: dt.date, end: dt.date) -> str | None:
    """The cell of the official table the dossier lands in for [start, end], or None when outside the workload."""
    received, finish = _day(row.received), _day(row.completed) or _day(row.returned)
    if row.status in (1, 3) or received is None or (finish is not None and finish < received):
        return "excluded" if received is not None and start <= received <= end else None
    if received > end or (received < start and finish is not None and finish < start):
        return None
    if finish is None and row.status in (7, 8, 9, 10):
        return "unplaced"
    due = _day(row.original_due or row.due)
    if finish is not None and finish <= end:
        if row.status in (7, 8):
            return "withdrawn"
        if due is None or finish == due:
            return "resolved_on_time"
        return "resolved_early" if finish < due else "resolved_late"
    if row.status in (5, 6) or due is None or due >= end:
        return "pending_in_time"
    return "pending_overdue"


def headline(rows: list[Row], start: dt.date = PERIOD_START, end: dt.date = PERIOD_END) -> dict[str, int]:
    """Biểu 06 headline counts for [start, end] from merged records, plus "excluded" (refused in the period)."""
    counts = dict.fromkeys(HEADLINE_KEYS + ["excluded"], 0)
    for row in rows:
        cell = classify(row, start, end)
        if cell is None:
            continue
        assert cell != "unplaced", f"{row.case_id}: ended without a finish date"
        counts[cell] += 1
        if cell == "excluded":
            continue
        if _day(row.received) < start:
            counts["carried_over"] += 1
        elif row.channel == 2:
            counts["received_online"] += 1
        else:
            counts["received_direct_postal"] += 1
    counts["resolved_total"] = counts["resolved_early"] + counts["resolved_on_time"] + counts["resolved_late"]
    counts["pending_total"] = counts["pending_in_time"] + counts["pending_overdue"]
    counts["received_total"] = counts["received_online"] + counts["received_direct_postal"] + counts["carried_over"]
    assert counts["received_total"] == counts["resolved_total"] + counts["pending_total"] + counts["withdrawn"]
    return counts


def left_out(rows: list[Row], start: dt.date = PERIOD_START, end: dt.date = PERIOD_END) -> dict[str, int]:
    """Dossiers received in [start, end] and left out of its counts, by the report's reason codes."""
    out = {"not_received_status": 0, "no_received_date": 0, "finished_before_received": 0,
           "ended_without_finish_date": 0}
    for row in rows:
        if classify(row, start, end) != "excluded":
            continue
        reason = "not_received_status" if row.status in (1, 3) else "finished_before_received"
        out[reason] += 1
    return out


def expected_report(files: list[list[Row]]) -> dict:
    """What the report of the whole review must say, worked out from the generated rows without the importer:
    the headline, the headline of each field (fields with dossiers only), the records merged away, the dossiers
    left out by reason."""
    rows = merge(files)
    by_field = {}
    for field in sorted({r.field for r in rows}):
        counts = headline([r for r in rows if r.field == field])
        if counts["received_total"]:
            by_field[field] = {k: counts[k] for k in HEADLINE_KEYS}
    counts = headline(rows)
    return {**{k: counts[k] for k in HEADLINE_KEYS}, "by_field": by_field,
            "merged_duplicates": sum(len(f) for f in files) - len(rows), "left_out_of_counts": left_out(rows)}


def on_time_rate(counts: dict[str, int]) -> float:
    return (counts["resolved_early"] + counts["resolved_on_time"]) / counts["resolved_total"]


# --- putting it together -----------------------------------------------------------------------------------------

@dataclass
class Sample:
    catalog: list[Procedure]
    files: list[list[Row]]  # one list of rows per quarter, in QUARTERS order


def _merged_cell(d: Dossier) -> str | None:
    """The dossier's cell once its file rows are merged."""
    rows = [snapshot(d, QUARTERS[i].exported) for i in quarters_of(d)]
    return classify(merge([[r] for r in rows])[0], PERIOD_START, PERIOD_END)


def _assign_case_ids(dossiers: list[Dossier]) -> None:
    """`{unit code}-{yyMMdd}-{seq}`, numbered per unit and day in order of receipt."""
    seq: dict[tuple[str, dt.date], int] = {}
    for d in sorted(dossiers, key=lambda d: (d.received, d.unit_code)):
        key = (d.unit_code, d.received.date())
        seq[key] = seq.get(key, 0) + 1
        d.case_id = f"{d.unit_code}-{d.received:%y%m%d}-{seq[key]:04d}"


def build(seed: int = SEED) -> Sample:
    """The whole sample in memory: catalog and quarterly rows, adjusted to exactly TARGET_RESOLVED resolved."""
    catalog = build_catalog(np.random.default_rng([seed, 1]))
    used = [p for p in catalog if p.weight]
    rng = np.random.default_rng(seed)
    dossiers = simulate(rng, used)
    resolved = [i for i, d in enumerate(dossiers) if (_merged_cell(d) or "").startswith("resolved")]
    if len(resolved) > TARGET_RESOLVED:  # drop surplus resolved dossiers at random
        drop = set(rng.choice(resolved, len(resolved) - TARGET_RESOLVED, replace=False).tolist())
        dossiers = [d for i, d in enumerate(dossiers) if i not in drop]
    count, period_days = min(len(resolved), TARGET_RESOLVED), working_days(PERIOD_START, PERIOD_END)
    while count < TARGET_RESOLVED:  # or add dossiers on random days until there are enough
        day = pick(rng, period_days)
        d = _arrival(rng, used, next(q for q in QUARTERS if q.start <= day <= q.end), [day], [])
        dossiers.append(d)
        count += (_merged_cell(d) or "").startswith("resolved")
    _assign_case_ids(dossiers)
    files = [[] for _ in QUARTERS]
    for d in sorted(dossiers, key=lambda d: d.case_id):
        for i in quarters_of(d):
            files[i].append(snapshot(d, QUARTERS[i].exported))
    for rows in files:
        rows.sort(key=lambda r: (r.received, r.case_id))
    return Sample(catalog, files)


# ----------------------------------------------------------------------------------------------------------------
# Writing the workbooks
# ----------------------------------------------------------------------------------------------------------------

# Two-row headers: (parent, key) or (parent, [(child, key), …]).
LAYOUT_2018 = [
    ("STT", "stt"), ("Số hồ sơ", "case_id"),
    ("Thủ tục hành chính", [("Mã TTHC", "code"), ("Tên TTHC", "name")]),
    ("Lĩnh vực", "field"), ("Cơ quan giải quyết", "unit"), ("Cấp", "level"), ("Hình thức nộp", "channel"),
    ("Thời gian", [("Ngày tiếp nhận", "received"), ("Ngày hẹn trả", "due"),
                   ("Ngày hẹn trả ban đầu", "original_due"), ("Ngày có kết quả", "completed"),
                   ("Ngày trả kết quả", "returned")]),
    ("Trạng thái", "status"), ("Thư xin lỗi", "apology"), ("Người tiếp nhận", "staff"),
    ("Chủ hồ sơ", "applicant"), ("Số điện thoại", "phone"),
]
LAYOUT_2019 = [
    ("STT", "stt"), ("Mã hồ sơ", "case_id"), ("Mã thủ tục", "code"), ("Tên thủ tục hành chính", "name"),
    ("Lĩnh vực", "field"), ("Đơn vị xử lý", "unit"), ("Cấp", "level"), ("Kênh", "channel"),
    ("Thời gian", [("Ngày nhận hồ sơ", "received"), ("Hạn xử lý", "due"), ("Hạn xử lý ban đầu", "original_due"),
                   ("Ngày hoàn thành", "completed"), ("Ngày trả", "returned")]),
    ("Trạng thái hồ sơ", "status"), ("Phiếu xin lỗi", "apology"), ("Cán bộ tiếp nhận", "staff"),
    ("Người nộp", "applicant"), ("Địa chỉ", "address"),
]
# Status wording in the 2018 files (the 2019 file writes the codes).
STATUS_TEXT_2018 = {2: "Đã tiếp nhận", 3: "Từ chối tiếp nhận", 4: "Đang xử lý", 5: "Chờ bổ sung",
                    6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Đã rút hồ sơ", 8: "Dừng xử lý",
                    9: "Đã xử lý xong", 10: "Đã trả kết quả"}
CHANNEL_TEXT_2018 = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính công ích"}
# How date cells are written, per file: weights for values with a time, and for plain dates (due dates).
DATE_STYLES = {
    "2018-Q1": ({"excel": 80, "dmy_hm": 15, "dmy": 5}, {"excel": 90, "dmy": 10}),
    "2018-Q2": ({"dmy_hm": 75, "excel": 15, "dmy_dash": 10}, {"dmy": 80, "excel": 10, "dmy_dash": 10}),
    "2018-Q3": ({"excel": 50, "dmy_hm": 40, "dmy": 10}, {"excel": 60, "dmy": 40}),
    "2018-Q4": ({"dmy_hm": 70, "excel": 20, "dmy_dash": 10}, {"dmy": 75, "excel": 15, "dmy_dash": 10}),
    "2019-Q1": ({"excel": 60, "iso_offset": 15, "serial": 15, "dmy_hm": 10},
                {"excel": 65, "serial": 20, "dmy": 10, "iso": 5}),
}
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
COLUMN_WIDTHS = {"stt": 5, "case_id": 18, "code": 10, "name": 48, "field": 20, "unit": 28, "level": 9,
                 "channel": 11, "status": 15, "apology": 8, "staff": 20, "applicant": 22, "phone": 13,
                 "address": 40}


def leaves(layout) -> list[tuple[str, str]]:
    """The (header, key) of each column, left to right."""
    out = []
    for parent, spec in layout:
        out += spec if isinstance(spec, list) else [(parent, spec)]
    return out


class Styles:
    def __init__(self, wb: xlsxwriter.Workbook):
        self.title = wb.add_format({"bold": True, "align": "center", "font_size": 12})
        self.note = wb.add_format({"italic": True, "align": "center", "font_color": "#C00000"})
        self.header = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1,
                                     "text_wrap": True, "bg_color": "#DDEBF7"})
        self.number_row = wb.add_format({"italic": True, "align": "center", "border": 1})
        self.cell = wb.add_format({"border": 1})
        self.datetime = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy hh:mm"})
        self.date = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy"})
        self.total = wb.add_format({"bold": True, "border": 1})
        self.sign = wb.add_format({"bold": True, "align": "center"})
        self.sign_note = wb.add_format({"italic": True, "align": "center"})


def write_date(ws, r: int, c: int, value, style: str, st: Styles) -> None:
    if value is None:
        ws.write_blank(r, c, None, st.cell)
    elif style == "excel":
        ws.write_datetime(r, c, value, st.datetime if isinstance(value, dt.datetime) else st.date)
    elif style == "serial":  # a bare number, as when the date format was lost
        full = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        serial = (full - EXCEL_EPOCH) / dt.timedelta(days=1)
        ws.write_number(r, c, round(serial, 6) if isinstance(value, dt.datetime) else int(serial), st.cell)
    else:
        text = {"dmy": "%d/%m/%Y", "dmy_hm": "%d/%m/%Y %H:%M", "dmy_dash": "%d-%m-%Y", "iso": "%Y-%m-%d",
                "iso_offset": "%Y-%m-%dT%H:%M:%S+07:00"}[style]
        ws.write_string(r, c, value.strftime(text), st.cell)


def write_value(ws, r: int, c: int, key: str, row: Row, stt: int, q: Quarter, rng, st: Styles) -> None:
    new = q.new_software
    if key == "stt":
        ws.write_number(r, c, stt, st.cell)
    elif key in ("received", "due", "original_due", "completed", "returned"):
        value = getattr(row, key)
        with_time, plain = DATE_STYLES[q.label]
        weights = with_time if isinstance(value, dt.datetime) else plain
        write_date(ws, r, c, value, pick(rng, list(weights), list(weights.values())), st)
    elif key == "status":
        if new:
            ws.write_number(r, c, row.status, st.cell)
        else:
            ws.write_string(r, c, STATUS_TEXT_2018[row.status], st.cell)
    elif key == "channel":
        if new:
            ws.write_number(r, c, row.channel, st.cell)
        elif row.channel == 1 and rng.random() < 0.3:  # blank means in person
            ws.write_blank(r, c, None, st.cell)
        else:
            ws.write_string(r, c, CHANNEL_TEXT_2018[row.channel], st.cell)
    elif key == "level":
        ws.write_string(r, c, row.level if new else row.level.removeprefix("Cấp ").capitalize(), st.cell)
    elif key == "apology" and (row.apology or new):
        ws.write_string(r, c, "Có" if row.apology else "Không", st.cell)
    elif key == "apology":
        ws.write_blank(r, c, None, st.cell)
    else:
        ws.write_string(r, c, getattr(row, key), st.cell)  # text, even codes like "2.000720"


def write_export(path: Path, q: Quarter, rows: list[Row], rng) -> None:
    layout = LAYOUT_2019 if q.new_software else LAYOUT_2018
    cols = leaves(layout)
    last = len(cols) - 1
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({"created": dt.datetime.combine(q.exported, dt.time(8, 0)), "author": "make_sample.py"})
    st = Styles(wb)
    ws = wb.add_worksheet("Sheet1" if q.new_software else "Hồ sơ")
    titles = ["ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN", "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT",
              f"Từ ngày {q.start:%d/%m/%Y} đến ngày {q.end:%d/%m/%Y}"]
    for r, text in enumerate(titles):
        ws.merge_range(r, 0, r, last, text, st.title)
    ws.merge_range(len(titles), 0, len(titles), last, SYNTHETIC_NOTE, st.note)
    top = len(titles) + 2  # one blank row, then the two header rows
    c = 0
    for parent, spec in layout:
        if isinstance(spec, list):
            ws.merge_range(top, c, top, c + len(spec) - 1, parent, st.header)
            for i, (child, _) in enumerate(spec):
                ws.write_string(top + 1, c + i, child, st.header)
            c += len(spec)
        else:
            ws.merge_range(top, c, top + 1, c, parent, st.header)
            c += 1
    for c, (_, key) in enumerate(cols):
        ws.write_string(top + 2, c, f"({c + 1})", st.number_row)
        ws.set_column(c, c, COLUMN_WIDTHS.get(key, 16))
    first = top + 3
    for i, row in enumerate(rows):
        for c, (_, key) in enumerate(cols):
            write_value(ws, first + i, c, key, row, i + 1, q, rng, st)
    r = first + len(rows)
    ws.merge_range(r, 0, r, 1, "Tổng cộng", st.total)
    ws.merge_range(r, 2, r, 3, f"{len(rows)} hồ sơ", st.total)
    ws.merge_range(r + 2, last - 4, r + 2, last, f"Lạng Sơn, ngày {q.exported:%d} tháng {q.exported:%m} năm "
                   f"{q.exported:%Y}", st.sign_note)
    ws.merge_range(r + 3, 1, r + 3, 3, "Người lập biểu", st.sign)
    ws.merge_range(r + 3, last - 4, r + 3, last, "TRƯỞNG BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", st.sign)
    ws.merge_range(r + 4, 1, r + 4, 3, "(Ký, ghi rõ họ tên)", st.sign_note)
    ws.merge_range(r + 4, last - 4, r + 4, last, "(Ký, ghi rõ họ tên)", st.sign_note)
    ws.freeze_panes(first, 2)
    wb.close()


CATALOG_COLUMNS = [("Mã TTHC", "code", 11), ("Tên thủ tục hành chính", "name", 70), ("Lĩnh vực", "field", 28),
                   ("Cấp thực hiện", "level", 13), ("Thời hạn giải quyết", "limit_text", 30),
                   ("Phí, lệ phí", "fee", 18)]


def write_catalog(path: Path, catalog: list[Procedure]) -> None:
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({"created": dt.datetime(2019, 4, 4, 8, 0), "author": "make_sample.py"})
    st = Styles(wb)
    ws = wb.add_worksheet("Danh mục TTHC")
    last = len(CATALOG_COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, "DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND THÀNH PHỐ "
                   "LẠNG SƠN VÀ UBND CÁC XÃ, PHƯỜNG", st.title)
    ws.merge_range(1, 0, 1, last, SYNTHETIC_NOTE, st.note)
    for c, (header, _, width) in enumerate(CATALOG_COLUMNS):
        ws.write_string(3, c, header, st.header)
        ws.set_column(c, c, width)
    for r, proc in enumerate(catalog, start=4):
        for c, (_, key, _) in enumerate(CATALOG_COLUMNS):
            ws.write_string(r, c, getattr(proc, key), st.cell)
    ws.freeze_panes(4, 0)
    wb.close()


def main() -> None:
    sample = build()
    expected_file = OUT_DIR / "expected_headline.json"
    if "--expected-only" in sys.argv:  # the ground truth again, without rewriting the exports
        expected_file.write_text(json.dumps(expected_report(sample.files), ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
        return
    counts = headline(merge(sample.files))
    rate = on_time_rate(counts)
    assert counts["resolved_total"] == TARGET_RESOLVED
    assert ON_TIME_RATE_RANGE[0] <= rate <= ON_TIME_RATE_RANGE[1], f"on-time rate {rate:.2%} out of range"
    (OUT_DIR / "exports").mkdir(exist_ok=True)
    write_catalog(OUT_DIR / "procedures.xlsx", sample.catalog)
    for i, (q, rows) in enumerate(zip(QUARTERS, sample.files)):
        write_export(OUT_DIR / "exports" / q.file_name, q, rows, np.random.default_rng([SEED, 100 + i]))
    expected_file.write_text(json.dumps(expected_report(sample.files), ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    print(f"Headline {PERIOD_START:%d/%m/%Y}–{PERIOD_END:%d/%m/%Y} (synthetic data), "
          f"written to {(OUT_DIR / 'expected_headline.json').relative_to(ROOT)}:")
    for key in ["received_online", "received_direct_postal", "carried_over", "received_total", "resolved_early",
                "resolved_on_time", "resolved_late", "resolved_total", "pending_in_time", "pending_overdue",
                "pending_total", "withdrawn", "excluded"]:
        print(f"  {key:24} {counts[key]:5}")
    print(f"  on-time rate, resolved-based: ({counts['resolved_early']} + {counts['resolved_on_time']}) / "
          f"{counts['resolved_total']} = {rate:.2%}")
    print(f"Catalog: {sum(p.level == DISTRICT for p in sample.catalog)} {DISTRICT}, "
          f"{sum(p.level == COMMUNE for p in sample.catalog)} {COMMUNE}. Rows per file: "
          + ", ".join(f"{q.label} {len(rows)}" for q, rows in zip(QUARTERS, sample.files)))


if __name__ == "__main__":
    main()
