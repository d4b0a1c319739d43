"""A 2026 export carrying what citizens' experience is measured on (online level, letters with their dates, moved
due dates, ratings, receiving points), drawn at random from a fixed seed: for screens and outputs to show something.
The hand-worked figures are in tests/test_experience.py, on a small export written there."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from tests.workbooks import write_rows

HEADER = ["Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan giải quyết", "Đơn vị tiếp nhận",
          "Ngày tiếp nhận", "Ngày hẹn trả ban đầu", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Hình thức nộp",
          "Mức độ DVC", "Ngày xin lỗi", "Số lần gia hạn", "Đánh giá"]
UNITS = ["UBND phường Tam Thanh", "UBND phường Đông Kinh", "Sở Tư pháp"]
PROCEDURES = [("Đăng ký khai sinh", "Hộ tịch"), ("Chứng thực bản sao", "Chứng thực"),
              ("Cấp phiếu lý lịch tư pháp", "Lý lịch tư pháp")]
RATINGS = ["Rất hài lòng", "Hài lòng", "Không hài lòng", None, None]


def experience_export(path: Path, dossiers: int = 300, seed: int = 19, start=dt.date(2026, 1, 1),
                      days: int = 85) -> Path:
    rng = random.Random(seed)
    rows = []
    for n in range(dossiers):
        unit = UNITS[n % len(UNITS)]
        procedure, field = PROCEDURES[rng.randrange(len(PROCEDURES))]
        received = start + dt.timedelta(days=rng.randrange(days))
        original = received + dt.timedelta(days=rng.choice([3, 5, 7]))
        finish_in = rng.choice([1, 2, 3, 4, 5, 6, 8, 9, 12, None])
        late = finish_in is not None and received + dt.timedelta(days=finish_in) > original
        moved = rng.random() < 0.6 if late or finish_in is None else False
        extensions = (rng.choice([1, 1, 2, 3]) if moved else 0)
        due = original + dt.timedelta(days=3 * extensions) if moved else original
        letter = original - dt.timedelta(days=rng.choice([1, 0, -2])) if moved else None
        online = rng.random() < 0.55
        level = rng.choice(["Toàn trình", "Một phần", None]) if online else None
        desk = rng.choice([unit, f"Bộ phận Một cửa {unit}", "Trung tâm Phục vụ hành chính công tỉnh", None])
        finished = received + dt.timedelta(days=finish_in) if finish_in is not None else None
        rows.append([f"HS-{start:%y%m%d}-{n:05d}", procedure, field, unit, desk, received, original, due, finished,
                     "Đã trả kết quả" if finished else "Đang xử lý", "Trực tuyến" if online else "Trực tiếp", level,
                     letter, extensions, rng.choice(RATINGS) if finished else None])
    return write_rows(path, [HEADER, *rows], title_rows=[["DANH SÁCH HỒ SƠ QUÝ I/2026"], []])
