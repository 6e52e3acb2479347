# Hỏi đáp / bàn hỗ trợ kỹ năng số: /hoi, /faq, /cauhoi, /traloi, /lienhe.

help-hoi = Hỏi đáp: /hoi <câu hỏi> (viết không dấu cũng được)
usage-hoi = Bạn muốn hỏi gì? Ví dụ: /hoi cách kích hoạt VNeID. Trong tin nhắn riêng với bot, bạn cứ gõ câu hỏi, không cần lệnh.
help-cauhoi = Câu hỏi của bà con chưa được trả lời; quản lý mục hỏi đáp của thôn: /faq ds, /faq them, /faq sua, /faq xoa
help-traloi = Trả lời câu hỏi số n: /traloi <n> <nội dung>; thêm +luu ở cuối để lưu luôn thành mục hỏi đáp của thôn
usage-traloi = Cách dùng: /traloi <số câu hỏi> <nội dung trả lời>. Ví dụ: /traloi 3 Bác mang căn cước ra công an xã vào sáng thứ Hai ạ. Thêm +luu ở cuối để lưu thành mục hỏi đáp của thôn.
help-lienhe = Liên hệ cán bộ thôn
usage-lienhe = Cách dùng: /lienhe sdt 0912 345 678 để công khai số điện thoại của bạn, /lienhe sdt xoa để gỡ.

faq-hello = Chào bạn! Bạn cứ gõ câu hỏi, ví dụ: cách kích hoạt VNeID, chuyển khoản nhầm thì làm sao. Tôi sẽ trả lời hoặc chuyển tới cán bộ thôn.
faq-thanks = Không có gì ạ. Bạn cần hỏi thêm thì cứ nhắn nhé!

faq-choices-title = Có phải bạn muốn hỏi:
faq-choices-hint = Gõ /hoi { $example } để xem câu trả lời số { $example }.
faq-choices-hint-private = Gõ số { $example } (hoặc /hoi { $example }) để xem câu trả lời số { $example }.
faq-pick-none = Chưa có danh sách nào để chọn. Bạn gõ câu hỏi nhé, ví dụ: /hoi cách kích hoạt VNeID.
faq-pick-range = Danh sách vừa rồi chỉ có { $count } mục. Bạn chọn một số từ 1 đến { $count } nhé.
faq-pick-gone = Mục này vừa được cán bộ thôn gỡ. Bạn hỏi lại nhé.

faq-forwarded = Tôi đã chuyển câu hỏi của bạn tới cán bộ thôn. Câu hỏi đã được ghi lại, cán bộ sẽ trả lời và tôi sẽ gửi lại cho bạn ở đây.
faq-forwarded-nobody = Tôi chưa tìm được câu trả lời và hiện chưa liên lạc được với cán bộ nào qua bot. Câu hỏi đã được ghi lại; bạn có thể gõ /lienhe để xem cách liên hệ trực tiếp.
faq-open-private-chat = { $name }: có { $count } câu hỏi của bà con chưa tới được cán bộ nào (xem /cauhoi). Câu hỏi chỉ tới được cán bộ qua tin nhắn riêng với bot: xin mở tin nhắn riêng với { $bot } và gõ /start (chỉ cần một lần).
faq-place-none = chưa rõ thôn
faq-place-all = các thôn
faq-where-group = trong nhóm { $group }
faq-where-private = nhắn riêng với bot
faq-notify-title = Câu hỏi mới ({ $place })
faq-notify-body =
    { $name } ({ $where }) hỏi:
    { $question }

    Trả lời: /traloi { $number } <nội dung> (thêm +luu ở cuối để lưu thành mục hỏi đáp). Xem tất cả: /cauhoi

usage-faq-add = Cách dùng: /faq them <câu hỏi> | <trả lời>. Ví dụ: /faq them Nộp quỹ khuyến học ở đâu? | Nộp cho chị Lan, tổ trưởng tổ 3.
usage-faq-edit = Cách dùng: /faq sua <số> <trả lời mới> (hoặc /faq sua <số> <câu hỏi> | <trả lời>). Ví dụ: /faq sua 2 Nộp cho anh Hùng từ tháng này.
usage-faq-delete = Cách dùng: /faq xoa <số>. Ví dụ: /faq xoa 2
usage-faq-list = Cách dùng: /faq ds
faq-list-title = Mục hỏi đáp riêng của { $place } ({ $count })
faq-list-line = { $number }. { $question }
faq-list-footer = Sửa: /faq sua <số> <trả lời>. Xóa: /faq xoa <số>. Thêm: /faq them <câu hỏi> | <trả lời>
faq-list-empty = { $place } chưa có mục hỏi đáp riêng; bot đang dùng kho hỏi đáp chung. Thêm: /faq them <câu hỏi> | <trả lời>
faq-added = Đã thêm mục hỏi đáp số { $number }: { $question }
faq-added-override = Đã thêm mục hỏi đáp số { $number }: { $question }. Mục này thay cho câu trả lời chung cùng câu hỏi.
faq-edited = Đã sửa mục hỏi đáp số { $number }: { $question }
faq-deleted = Đã xóa mục hỏi đáp số { $number }: { $question }
faq-entry-unknown = Thôn không có mục hỏi đáp số { $number }. Gõ /faq ds để xem danh sách.

cauhoi-title = Câu hỏi chưa trả lời của { $place } ({ $count })
cauhoi-line = { $number }. { $when } · { $name }: { $question }
cauhoi-footer = Trả lời: /traloi <số> <nội dung>; thêm +luu ở cuối để lưu thành mục hỏi đáp.
cauhoi-none = { $place } không còn câu hỏi nào chờ trả lời.
traloi-unknown = Không có câu hỏi số { $number } chờ bạn trả lời. Gõ /cauhoi để xem danh sách.
traloi-already = Câu hỏi số { $number } đã được trả lời rồi.
traloi-unreachable = Không gửi được tới { $name }: bot không còn ở cuộc trò chuyện nơi người này đã hỏi.
faq-answer-title = Cán bộ thôn trả lời câu hỏi
faq-answer-body =
    { $name } hỏi: { $question }

    { $answer }

    — { $official }
traloi-sent = Đã gửi câu trả lời cho câu hỏi số { $number } tới { $name }.
traloi-sent-not-saved = Đã gửi câu trả lời cho câu hỏi số { $number } tới { $name }. Câu hỏi không thuộc thôn nào nên chưa lưu được thành mục hỏi đáp.
traloi-sent-saved = Đã gửi câu trả lời cho câu hỏi số { $number } tới { $name } và lưu thành mục hỏi đáp số { $entry }.

lienhe-title = Liên hệ { $place }
lienhe-line = • { $title }: { $name }
lienhe-line-phone = • { $title }: { $name } — { $phone }
lienhe-commune = { $title } (cấp xã)
lienhe-footer = Hỏi về thủ tục, kỹ năng số: gõ /hoi <câu hỏi>. Khẩn cấp: 113 công an, 114 cứu hỏa, 115 cấp cứu.
lienhe-none = { $place } chưa có cán bộ nào được ghi nhận trên bot.
lienhe-unknown = Không có thôn mã { $code }. Gõ /lienhe trong nhóm của thôn, hoặc /lienhe <mã thôn>.
lienhe-phone-set = Đã công khai số điện thoại { $phone } trong /lienhe.
lienhe-phone-removed = Đã gỡ số điện thoại của bạn khỏi /lienhe.
lienhe-phone-current = Số đang công khai trong /lienhe: { $phone }. Gỡ: /lienhe sdt xoa
lienhe-phone-unset = Bạn chưa công khai số điện thoại. Thêm: /lienhe sdt <số>
