# Core: greetings, help, errors, configuration, the web chat simulator.

config-error = Cấu hình sai: { $variable }: { $reason }

start-title = Xin chào! Tôi là trợ lý của thôn.
start-body =
    Tôi gửi thông báo của thôn, nhắc lịch họp, cập nhật tiến độ công trình, công khai danh sách ủng hộ và trả lời các câu hỏi thường gặp (VNeID, chữ ký số, chuyển khoản an toàn…).
    Gõ /trogiup để xem các lệnh bạn dùng được.
help-title = Các lệnh bạn dùng được
help-intro = Gõ lệnh bắt đầu bằng dấu /. Viết không dấu cũng được.
help-section-everyone = Mọi người:
help-section-officials = Cán bộ thôn:
help-compact-hint = Gõ một lệnh không kèm gì để xem cách dùng, ví dụ /taohop.
help-section-admins = Quản trị:
help-start = Lời chào và giới thiệu
help-help = Danh sách lệnh
help-toi = Mã của bạn và vai trò
help-ngonngu = Đổi ngôn ngữ (vi/en)
usage-ngonngu = Cách dùng: /ngonngu vi hoặc /ngonngu en
ngonngu-done = Đã chuyển sang tiếng Việt.

toi-body =
    Bạn: { $name }
    Nền tảng: { $platform }
    Mã: { $platform }:{ $id }
    Vai trò: { $roles }
    Thôn: { $village }
toi-no-village = chưa gắn với thôn nào
role-admin = Quản trị
role-resident = Người dân

error-internal = Xin lỗi, tôi gặp lỗi khi xử lý tin nhắn này. Vui lòng thử lại sau ít phút.
error-unknown-command = Tôi chưa hiểu lệnh /{ $command }. Gõ /trogiup để xem các lệnh.
error-official-only = Chỉ cán bộ thôn mới dùng được lệnh này.
error-admin-only = Chỉ quản trị viên mới dùng được lệnh này.
error-private-only = Lệnh /{ $command } chỉ dùng trong tin nhắn riêng với bot.
error-group-only = Lệnh /{ $command } chỉ dùng trong nhóm của thôn.
error-no-village = Nhóm này chưa được kết nối với thôn nào. Quản trị viên dùng /ketnoi <mã thôn> để kết nối; trong tin nhắn riêng, gõ /dangky <mã thôn>.

webchat-title = Trò chuyện thử với bot thôn
webchat-banner = Đây là trình mô phỏng chạy trên máy này: chọn bạn là ai và ở nhóm nào, rồi nhắn tin như trên Zalo hay Telegram. Không có tin nào được gửi ra ngoài.
webchat-who = Bạn là
webchat-where = Trò chuyện trong
webchat-send = Gửi
webchat-placeholder = Nhập tin nhắn, ví dụ /trogiup
webchat-photo = Ảnh
webchat-private = Tin nhắn riêng với bot
webchat-reply = Trả lời
webchat-role-admin = quản trị
webchat-role-official = cán bộ thôn
webchat-role-resident = người dân
webchat-refused = Trình mô phỏng chỉ mở được bằng đường dẫn có mã bí mật in ra khi bot khởi động (http://127.0.0.1:8080/?token=…), trên chính máy này.
webchat-too-big = Ảnh quá lớn: tối đa { $mb } MB. Hãy chọn ảnh nhỏ hơn.
webchat-network-error = Mất kết nối với bot. Kiểm tra bot còn chạy rồi thử lại.
webchat-send-failed = Không gửi được tin nhắn. Hãy thử lại.
