# Delivery worker: the author's delivery report and platform pauses.

outbox-report = Đã gửi { $sent }/{ $total } nơi nhận.
outbox-report-failed = Lỗi: { $list }.
outbox-report-waiting = Đang chờ gửi: { $count } nơi trên { $platform } (tạm dừng vì hết hạn mức tin nhắn).
outbox-report-not-pinned = Không ghim được ở: { $list } (bot cần quyền quản trị để ghim).
outbox-reason-forbidden = bot bị xóa khỏi nhóm hoặc bị chặn
outbox-reason-not_found = không tìm thấy nhóm
outbox-reason-bad_request = tin nhắn bị từ chối
outbox-reason-transient = lỗi mạng kéo dài
outbox-reason-quota = hết hạn mức tin nhắn
outbox-platform-telegram = Telegram
outbox-platform-zalo = Zalo
outbox-platform-web = trò chuyện web
outbox-paused-quota = Bot đã dùng hết hạn mức tin nhắn { $platform } của tháng này nên tạm dừng gửi trên { $platform } đến ngày { $until }. Các tin chưa gửi được sẽ tự gửi tiếp khi có hạn mức mới.
outbox-paused-quota-bot = Bot { $platform } “{ $bot }” đã dùng hết hạn mức tin nhắn của tháng này nên tạm dừng gửi đến ngày { $until }. Các nhóm của bot này sẽ nhận tin chưa gửi khi có hạn mức mới; các bot khác vẫn gửi bình thường.
