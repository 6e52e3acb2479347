# Phản ánh của bà con: /phananh, /phananhcuatoi; cán bộ: /xuly, /xong, /tuchoi, /caidat phananh.

help-phananh = Phản ánh sự việc kèm ảnh
help-phananhcuatoi = Phản ánh của bạn
help-xuly = Nhận xử lý phản ánh
help-xong = Báo xong phản ánh
help-tuchoi = Từ chối phản ánh
caidat-phananh-help = /caidat phananh 3 — nhắc cán bộ khi phản ánh quá 3 ngày chưa ai xử lý; /caidat phananh toida 5 — mỗi người tối đa 5 phản ánh một ngày

reports-usage =
    Cách dùng: /phananh Đèn đường hỏng ở đầu xóm 3
    Gửi kèm ảnh (hoặc trả lời một ảnh bằng lệnh này, hoặc gửi ảnh có chú thích #phananh …). Có thể ghi nơi sau dấu |, ví dụ: /phananh Ổ gà lớn | trước nhà văn hóa xóm 2
reports-usage-xuly = Cách dùng: /xuly 3 Đã báo điện lực, chiều nay thay bóng
reports-usage-xong = Cách dùng: /xong 3 Đã thay bóng đèn mới (gửi kèm hoặc trả lời ảnh kết quả nếu có)
reports-usage-tuchoi = Cách dùng: /tuchoi 3 Đoạn đường này thuộc xã quản lý, đã chuyển lên xã
reports-usage-mine = Cách dùng: /phananhcuatoi (xem danh sách), /phananhcuatoi 3 hienten (hiện tên bạn trên trang thôn) hoặc /phananhcuatoi 3 anten

reports-no-village = Tôi chưa biết bạn ở thôn nào. Hãy gửi phản ánh trong nhóm của thôn, hoặc gõ /dangky <mã thôn> trong tin nhắn riêng trước.
reports-need-text = Xin ghi thêm vài chữ về sự việc, ví dụ: /phananh Đèn đường hỏng ở đầu xóm 3
reports-media-video = Phản ánh chỉ nhận ảnh, chưa nhận video. Xin gửi ảnh chụp sự việc.
reports-media-not-image = Tệp này không phải ảnh nên tôi chưa lưu phản ánh. Xin gửi ảnh (JPG, PNG).
reports-media-too-big = Ảnh lớn hơn { $mb } MB nên tôi chưa lưu phản ánh. Xin gửi ảnh nhỏ hơn.
reports-media-download = Tôi chưa tải được ảnh nên chưa lưu phản ánh. Xin gửi lại sau ít phút.
reports-merged = Phản ánh này bạn đã gửi (số { $n }), tôi gộp vào phản ánh số { $n } và thêm { $photos } ảnh.
reports-limit = Mỗi người gửi tối đa { $limit } phản ánh một ngày. Xin gửi tiếp vào ngày mai, hoặc liên hệ cán bộ thôn nếu việc gấp.
reports-saved = Đã nhận phản ánh số { $n } ({ $photos } ảnh) và chuyển tới cán bộ { $village }.
reports-saved-album = Đã nhận phản ánh số { $n } và sẽ chuyển tới cán bộ { $village } sau ít giây; các ảnh gửi cùng lúc được gộp vào phản ánh này.
reports-saved-dm = Bạn sẽ được báo tin trong tin nhắn riêng mỗi khi phản ánh số { $n } được xử lý. Tên bạn không hiện trên trang công khai của thôn; muốn hiện: /phananhcuatoi { $n } hienten
reports-saved-no-dm = Để được báo tin khi phản ánh số { $n } được xử lý, hãy nhắn /start cho bot trong tin nhắn riêng. Xem tình trạng bất cứ lúc nào: /phananhcuatoi
reports-location-added = Đã thêm vị trí vào phản ánh số { $n }.
reports-location-unused = Tôi đã nhận vị trí nhưng chưa có phản ánh nào để gắn vào. Hãy gửi /phananh <nội dung> trước, rồi gửi vị trí trong vòng 30 phút.

reports-status-new = Mới
reports-status-doing = Đang xử lý
reports-status-done = Đã xong
reports-status-rejected = Từ chối
reports-age-days = { $days } ngày
reports-age-hours = { $hours } giờ
reports-no-place = chưa rõ nơi
reports-no-text = (không có nội dung)
reports-someone = một người dân
reports-source-private = tin nhắn riêng
reports-source-group = nhóm của thôn
reports-photo-no-url = (Ảnh chưa gửi được qua nền tảng này; xem ảnh bằng /phananh <số>.)

reports-alert-title = Phản ánh mới số { $n } · { $village }
reports-alert-place = Nơi: { $place }
reports-alert-from = Người gửi: { $name } (qua { $source })
reports-alert-map = Vị trí: { $url }
reports-alert-photos = Ảnh: { $count }
reports-alert-commands = Xử lý: /xuly { $n } <ghi chú> · /xong { $n } <kết quả> · /tuchoi { $n } <lý do>
reports-button-doing = Nhận xử lý
reports-button-hide = Ẩn khỏi trang thôn
reports-button-stale = Phản ánh này không còn nữa.

reports-open-title = Phản ánh đang mở của { $village } ({ $count })
reports-open-line = Số { $n } · { $age } · { $status } · { $area } · { $text }
reports-open-more = … và { $count } phản ánh khác.
reports-open-footer = Xem chi tiết: /phananh { $n } · Xử lý: /xuly { $n } <ghi chú>
reports-open-none = { $village } không có phản ánh nào đang mở.
reports-detail-title = Phản ánh số { $n }
reports-detail-status = Tình trạng: { $status } · gửi ngày { $day } ({ $age } trước)
reports-not-found = Không có phản ánh số { $n } ở thôn này.
reports-not-yours = Phản ánh số { $n } không phải của bạn, nên bạn không thay đổi được.
reports-already-closed = Phản ánh số { $n } đã đóng ({ $status }), không thay đổi được nữa.
reports-hidden = Đã ẩn phản ánh số { $n } khỏi trang công khai của thôn. Việc này đã được ghi vào nhật ký.
reports-unhidden = Phản ánh số { $n } lại hiện trên trang công khai của thôn.

reports-acted-doing = Đã ghi phản ánh số { $n }: đang xử lý.
reports-acted-done = Đã ghi phản ánh số { $n }: đã xử lý xong.
reports-acted-rejected = Đã ghi phản ánh số { $n }: từ chối.
reports-reporter-told = Người phản ánh sẽ nhận tin trong tin nhắn riêng.
reports-reporter-not-told = Người phản ánh chưa nhắn riêng với bot nên chưa nhận được tin này.

reports-you-doing = Phản ánh số { $n } của bạn ({ $text }) đang được cán bộ { $village } xử lý.
reports-you-done = Phản ánh số { $n } của bạn ({ $text }) đã được cán bộ { $village } xử lý xong. Cảm ơn bạn đã báo tin!
reports-you-rejected = Phản ánh số { $n } của bạn ({ $text }) chưa được cán bộ { $village } nhận xử lý.
reports-you-note = Cán bộ ghi: { $note }
reports-you-footer = Xem các phản ánh của bạn: /phananhcuatoi
reports-group-done = Phản ánh số { $n } ({ $text }, { $area }) đã được xử lý xong. Cảm ơn bà con đã báo tin.

reports-stale-title = { $count } phản ánh quá { $days } ngày chưa ai xử lý · { $village }
reports-stale-line = Số { $n } · { $age } chưa xử lý · { $status } · { $text }
reports-stale-footer = Xử lý: /xuly { $n } <ghi chú> · Danh sách: /phananh

reports-mine-title = Phản ánh của bạn ({ $count })
reports-mine-line = Số { $n } · { $day } · { $status } · { $text }
reports-mine-footer = Hiện tên bạn trên trang thôn: /phananhcuatoi { $n } hienten
reports-mine-none = Bạn chưa gửi phản ánh nào. Gửi phản ánh: /phananh <nội dung> kèm ảnh.
reports-name-shown = Tên bạn sẽ hiện cùng phản ánh số { $n } trên trang công khai của thôn.
reports-name-hidden = Tên bạn không hiện cùng phản ánh số { $n } trên trang công khai của thôn.

reports-setting-show = Phản ánh ở { $village }: nhắc cán bộ khi quá { $days } ngày chưa ai xử lý; mỗi người tối đa { $limit } phản ánh một ngày.
reports-setting-saved = Đã lưu. Phản ánh ở { $village }: nhắc cán bộ khi quá { $days } ngày chưa ai xử lý; mỗi người tối đa { $limit } phản ánh một ngày.
reports-setting-usage = Cách dùng: /caidat phananh 3 (nhắc sau 3 ngày, từ 1 đến 30) hoặc /caidat phananh toida 5 (mỗi người tối đa 5 phản ánh một ngày, từ 1 đến 50)

reports-page-title = Phản ánh của bà con · { $village }
reports-page-heading = Phản ánh của bà con
reports-page-none = Chưa có phản ánh nào.
reports-page-number = Số { $n }
reports-page-days = { $days } ngày
reports-page-by = Người gửi: { $name }
reports-page-result = Kết quả: { $note }
reports-page-back = Về trang của thôn
reports-page-unknown = Không có thôn này.
reports-page-all = Xem mọi phản ánh
