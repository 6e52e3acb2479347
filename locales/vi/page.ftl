# Trang công khai của thôn (/v/<mã thôn>) và tờ QR để in: phần chung và phần các tính năng thêm vào.

vpage-description = Thông báo, lịch họp, tiến độ công trình và danh sách ủng hộ của { $village }.
vpage-summary-meetings = { $count } cuộc họp sắp tới.
vpage-summary-project = { $name }: tiến độ { $percent }%, đã góp { $raised }.
vpage-calendar-subscribe = Thêm lịch họp vào điện thoại
vpage-calendar-file = Tải tệp lịch họp (.ics)
vpage-donate = Ủng hộ công trình
vpage-donate-bank = Ngân hàng
vpage-donate-account = Số tài khoản
vpage-donate-holder = Chủ tài khoản
vpage-donate-memo = Nội dung chuyển khoản
vpage-donate-copy = Sao chép số tài khoản
vpage-donate-copied = Đã sao chép số tài khoản
vpage-donate-copy-failed = Chưa sao chép được, hãy chép tay số tài khoản
vpage-donate-qr-alt = Mã VietQR chuyển khoản ủng hộ { $name }
vposter-address = Địa chỉ: { $url }
vposter-local-warning = CHÚ Ý: địa chỉ này chỉ mở được trên máy chủ của bot hoặc trong mạng nội bộ, điện thoại của bà con không mở được. Hãy đặt PUBLIC_BASE_URL rồi in lại.
