"""Quản trị (admins only): the accounts, and the audit trail of who did what and when."""
import datetime as dt

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.access.audit import AuditTrail
from analytics.access.users import ROLE_LABELS, Users
from analytics.outputs import formatting as fmt
from ui import access, data, sidebar, tables

access.page_guard(access.ADMIN)
sidebar.keep_alive()
st.title("Quản trị")
store = data.store()

st.subheader("Tài khoản")
accounts = Users(store).all()
if not accounts:
    st.info("Chưa có tài khoản nào: bảng điều khiển đang chạy ở chế độ một người dùng (được bật rõ, chỉ mở được trên "
            "máy này). Thêm tài khoản trên máy chủ: `python -m analytics users add TÊN --role admin|analyst|viewer`.",
            icon=":material/person_add:")
else:
    now = dt.datetime.now()
    people = pd.DataFrame([{"name": u.name, "role": ROLE_LABELS.get(u.role, u.role), "failures": u.failures,
                            "locked_until": u.locked_until if u.locked(now) else None} for u in accounts])
    tables.show(people, tables.View({"name": "Tên đăng nhập", "role": "Vai trò", "failures": "Lần sai liên tiếp",
                                     "locked_until": "Tạm khoá đến"}, counts=("failures",),
                                    datetimes=("locked_until",)))
    locked = [u.name for u in accounts if u.locked(now)]
    if locked:
        left, right = st.columns([3, 1])
        chosen = left.selectbox("Mở khoá tài khoản", locked, key="unlock_choice")
        if right.button("Mở khoá", key="unlock_button"):
            Users(store).unlock(chosen)
            access.record(audit.USER_UNLOCKED, chosen)
            st.rerun()
    st.caption("Thêm, xoá, đổi mật khẩu hay vai trò trên máy chủ (mật khẩu không bao giờ đi qua trình duyệt ở đây): "
               "`python -m analytics users add|remove|passwd|role|unlock TÊN`, `python -m analytics users list`. "
               "Đổi mật khẩu, đổi vai trò, xoá tài khoản hay tài khoản bị tạm khoá đều kết thúc mọi phiên đăng nhập "
               "của tài khoản đó; mở khoá thì không mở lại phiên nào.")

st.subheader("Nhật ký thao tác")
LIMITS = [100, 500, 1_000, 5_000, 10_000, None]  # the latest rows; None: the whole trail
trail = AuditTrail(store)
left, middle, right = st.columns(3)
action = left.selectbox("Loại việc", [None, *audit.ACTION_LABELS], key="audit_action",
                        format_func=lambda a: "Tất cả" if a is None else audit.ACTION_LABELS[a])
everyone = sorted(trail.entries()["actor"].dropna().unique())  # only people the trail knows (no typing, no typo)
actor = middle.selectbox("Người thực hiện", [None, *everyone], key="audit_actor",
                         format_func=lambda a: "Tất cả" if a is None else a)
limit = right.selectbox("Số dòng gần nhất", LIMITS, index=LIMITS.index(500), key="audit_limit",
                        format_func=lambda n: "Tất cả" if n is None else fmt.number(n))
entries = trail.entries(limit=limit, actor=actor, action=action)
if entries.empty:
    st.info("Nhật ký chưa có dòng nào khớp điều kiện đã chọn.")
else:
    shown = audit.readable(entries)
    labels = audit.COLUMN_LABELS
    trail_view = tables.View({label: label for label in shown.columns}, plain=(labels["entry_id"],),
                             datetimes=(labels["happened_at"],), datetime_format=tables.DATETIME_SECONDS_FORMAT,
                             widths={labels["detail"]: "large"})
    tables.show(shown, trail_view, height=tables.fitted_height(len(shown), 560))
    tables.downloads(shown, "nhat-ky-thao-tac", "audit", trail_view.text)
check = trail.verify()
if check.holds:
    st.caption(f"{check.describe()} Chỉ ghi thêm, không sửa hay xoá được từ chương trình.")
else:
    st.error(f"{check.describe()} Hãy giữ bản sao tệp kho dữ liệu cùng thư mục khoá (`{audit.key_dir()}`) và báo cho "
             "người có trách nhiệm.", icon=":material/gpp_bad:")
