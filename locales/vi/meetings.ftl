# Meetings: /taohop, /lich-hop, RSVP, reminders, recurring notices, /caidat nhac.

help-lich-hop = Lịch họp sắp tới
help-taohop = Tạo cuộc họp: gõ /taohop rồi trả lời từng câu hỏi (hoặc /taohop <khi nào> | <ở đâu> | <nội dung>); xem trước rồi /xacnhan
help-huyhop = Hủy cuộc họp số n (xem trước rồi /xacnhan)
help-doihop = Dời cuộc họp số n sang giờ khác (xem trước rồi /xacnhan)
help-thamdu = Báo tham dự cuộc họp số n
help-vang = Báo vắng cuộc họp số n
help-diemdanh = Danh sách trả lời của cuộc họp số n
help-nhacdinhky = Nhắc định kỳ: tạo (xem trước rồi /xacnhan), xem, xóa

meetings-none = { $village } chưa có cuộc họp nào sắp tới.
meetings-title = Lịch họp { $village } (30 ngày tới)
meetings-item =
    Số { $n } · { $when }
    📍 { $place }
    📝 { $topic }
    ✅ { $yes } tham dự · ❌ { $no } vắng
meetings-footer = Gõ /lich-hop <số> để xem chi tiết; /thamdu <số> hoặc /vang <số> để trả lời.
meetings-ics = Thêm lịch họp vào điện thoại: { $url }
meetings-ics-name = Lịch họp { $village }
meetings-ics-summary = Họp thôn
meeting-detail-title = Cuộc họp số { $n }

meeting-field-when = 🕒 Thời gian: { $when }
meeting-field-place = 📍 Địa điểm: { $place }
meeting-field-topic = 📝 Nội dung: { $topic }
meeting-field-rsvp = ✅ Tham dự: { $yes } · ❌ Vắng: { $no }
meeting-rsvp-hint = Trả lời bằng /thamdu { $n } hoặc /vang { $n }.
meeting-btn-yes = Tham dự ({ $n })
meeting-btn-no = Vắng ({ $n })
meeting-announce-title = 📢 Thông báo họp — { $village }
meeting-sent-to = Đang gửi thông báo tới { $count } nhóm và người đăng ký.
meeting-created = Đã tạo cuộc họp số { $n }: { $when } tại { $place }.
meeting-cancelled-done = Đã hủy cuộc họp số { $n } ({ $when }).
meeting-moved-done = Đã dời cuộc họp số { $n } từ { $old } sang { $when }.
meeting-cancelled-title = ❌ Hủy họp — { $village }
meeting-cancelled-body = Cuộc họp số { $n } "{ $topic }" lúc { $when } tại { $place } đã bị hủy.
meeting-moved-title = 🔁 Đổi lịch họp — { $village }
meeting-moved-body = Cuộc họp "{ $topic }" được dời từ { $old } sang { $when }.
meeting-not-found = Không có cuộc họp số { $n }. Gõ /lich-hop để xem danh sách.
meeting-number-usage = Cách dùng: /{ $command } <số cuộc họp, xem /lich-hop>, ví dụ: /{ $command } 1

taohop-usage = Cách dùng: /taohop 19h30 thứ Bảy | Nhà văn hóa thôn | Họp bàn xây dựng khu dân cư
taohop-ask-when = Cuộc họp diễn ra khi nào? Trả lời tin nhắn này, ví dụ: { $example }
taohop-ask-place = Họp ở đâu? Trả lời tin nhắn này, ví dụ: Nhà văn hóa thôn
taohop-ask-topic = Nội dung cuộc họp là gì? Trả lời tin nhắn này, ví dụ: Họp bàn kế hoạch tổng vệ sinh
taohop-understood = Thời gian: { $when }.
doihop-usage = Cách dùng: /doihop <số> <khi nào>, ví dụ: /doihop 1 19h30 Chủ nhật

when-or = {" "}hoặc{" "}
when-no-time = Bạn muốn họp vào { $day } lúc mấy giờ? Vui lòng gửi lại kèm giờ, ví dụ: { $example }
when-ambiguous = "{ $text }" có thể là { $options }. Tôi đoán là { $guess }, nhưng chưa lưu. Vui lòng gửi lại rõ hơn (thêm sáng/chiều/tối), ví dụ: { $example }
when-past = { $when } đã qua rồi, chưa lưu gì cả. Vui lòng gửi một thời gian sắp tới, ví dụ: { $example }
when-unparseable =
    Tôi chưa hiểu thời gian "{ $text }", chưa lưu gì cả. Bạn có thể viết, ví dụ:
    { $examples }

rsvp-yes-done = Đã ghi nhận: { $name } tham dự cuộc họp số { $n } ({ $when }). Hiện có { $yes } tham dự, { $no } vắng.
rsvp-no-done = Đã ghi nhận: { $name } vắng cuộc họp số { $n } ({ $when }). Hiện có { $yes } tham dự, { $no } vắng.
rsvp-toast-yes = Đã ghi nhận bạn tham dự ({ $yes } tham dự, { $no } vắng).
rsvp-toast-no = Đã ghi nhận bạn vắng ({ $yes } tham dự, { $no } vắng).
rsvp-closed = Cuộc họp này đã bị hủy hoặc đã kết thúc.

diemdanh-title = Điểm danh cuộc họp số { $n }
diemdanh-yes = ✅ Tham dự ({ $count }): { $names }
diemdanh-no = ❌ Vắng ({ $count }): { $names }
diemdanh-nobody = chưa có ai

reminder-title = 🔔 Nhắc lịch họp — { $village }
reminder-title-late = 🔔 Nhắc lịch họp (nhắc muộn) — { $village }
reminder-left = Còn { $left } nữa là đến giờ họp.
dur-days = { $n } ngày
dur-hours = { $n } giờ
dur-minutes = { $n } phút

caidat-nhac-usage = Cách dùng: /caidat nhac 24h,2h,15p (tối đa 5 mốc, mỗi mốc không quá 30 ngày).
caidat-nhac-show = { $village } đang nhắc họp trước: { $offsets }.
caidat-nhac-done = Đã đặt: { $village } sẽ nhắc họp trước { $offsets }.

nhacdinhky-usage = Cách dùng: /nhacdinhky mỗi Chủ nhật 6:30 | Tổng vệ sinh đường làng
nhacdinhky-none = { $village } chưa có nhắc định kỳ nào. Tạo mới: /nhacdinhky mỗi Chủ nhật 6:30 | Tổng vệ sinh đường làng
nhacdinhky-title = Nhắc định kỳ của { $village }
nhacdinhky-item = Số { $n } · { $text } — lần tới: { $when }
nhacdinhky-footer = Xóa: /nhacdinhky xoa <số>
nhacdinhky-created =
    Đã tạo nhắc định kỳ số { $n }: { $text }
    Lần gửi đầu tiên: { $when }
nhacdinhky-no-time = Nhắc định kỳ cần giờ gửi, ví dụ: /nhacdinhky mỗi Chủ nhật 6:30 | Tổng vệ sinh đường làng
nhacdinhky-unparseable = Tôi chưa hiểu lịch lặp "{ $text }". Ví dụ: /nhacdinhky ngày 1 hàng tháng 8h | Nộp quỹ thôn
nhacdinhky-not-found = Không có nhắc định kỳ số { $n }. Gõ /nhacdinhky để xem danh sách.
nhacdinhky-deleted = Đã xóa nhắc định kỳ số { $n }: { $text }
recurring-title = 🔔 Nhắc định kỳ — { $village }
recurring-title-late = 🔔 Nhắc định kỳ (nhắc muộn) — { $village }
meeting-was-cancelled = Cuộc họp số { $n } ({ $when }) đã hủy. Gõ /lich-hop để xem các cuộc họp sắp tới.
meeting-was-held = Cuộc họp số { $n } ({ $when }) đã diễn ra. Gõ /lich-hop để xem các cuộc họp sắp tới.
meeting-changed-since = Cuộc họp số { $n } vừa được thay đổi sau bản xem trước này, nên chưa gửi gì. Vui lòng làm lại để xem thông tin mới.
meeting-preview-create = Xem trước: cuộc họp mới — { $village }
meeting-preview-cancel = Xem trước: hủy cuộc họp số { $n }
meeting-preview-move = Xem trước: dời cuộc họp số { $n }
meeting-preview-move-from = 🕒 Đang là: { $old }
meeting-preview-move-to = ➡️ Dời sang: { $when }
nhacdinhky-preview = Xem trước: nhắc định kỳ mới
nhacdinhky-preview-body =
    🔁 Lịch lặp: { $rule }
    🕒 Lần gửi đầu tiên: { $when }
    📝 Nội dung: { $text }
flow-stopped = Đã dừng, không lưu gì cả.
taohop-split-ask =
    Tôi hiểu thời gian: { $when }. Phần còn lại "{ $rest }" — đâu là địa điểm, đâu là nội dung? Trả lời bằng số:
    { $options }
    Hoặc gõ địa điểm, ví dụ: Nhà văn hóa thôn
taohop-split-option = { $n }. Địa điểm: { $place } · Nội dung: { $topic }
taohop-split-button = { $place } / { $topic }

when-unclear = Tôi hiểu "{ $understood }"{ $guess } nhưng chưa hiểu "{ $unused }" nên chưa lưu gì cả. Vui lòng gửi lại đầy đủ ngày giờ (ngày âm lịch ghi rõ "âm lịch"), ví dụ: { $example }
when-unclear-guess = {" "}(= { $when })
when-lunar = { $when } ({ $lunar })
