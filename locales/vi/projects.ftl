# Công trình: tiến độ bằng ảnh, danh sách ủng hộ, mã VietQR, trang công khai của thôn.

help-congtrinh = Danh sách công trình; tạo mới: gõ /congtrinh tao rồi trả lời từng câu (hoặc /congtrinh tao <tên> | <mã> | <dự toán>)
help-capnhat = Cập nhật tiến độ công trình bằng ảnh
help-tiendo = Tiến độ các công trình của thôn
help-ungho = Mã QR ủng hộ công trình (cán bộ: ghi nhận khoản ủng hộ)
help-danhsachungho = Danh sách ủng hộ và tổng số tiền
help-theodoi = Nhận mọi cập nhật của một công trình trong tin nhắn riêng
help-botheodoi = Thôi nhận cập nhật của một công trình

usage-congtrinh =
    Cách dùng:
    /congtrinh tao Nhà văn hóa | nvh | 1,2 tỷ | Vietcombank 0011001932418 Nguyen Van A
    /congtrinh taikhoan nvh | Vietcombank 0011001932418 Nguyen Van A
    /congtrinh (xem danh sách)
usage-capnhat =
    Cách dùng: gửi ảnh kèm chú thích /capnhat nvh 40% Xây tường, hoặc trả lời một ảnh bằng /capnhat nvh 40% Xây tường.
    Trong nhóm Telegram, ảnh có chú thích #nvh chỉ tới được bot khi bot là quản trị nhóm (hoặc tắt chế độ riêng tư); trong nhóm Zalo, hãy nhắc tên bot hoặc trả lời tin của bot. Lệnh /capnhat luôn dùng được.
usage-tiendo = Cách dùng: /tiendo hoặc /tiendo nvh
usage-theodoi = Cách dùng (trong tin nhắn riêng với bot): /theodoi nvh hoặc /botheodoi nvh
usage-ungho = Cách dùng: /ungho nvh (xem mã QR). Cán bộ ghi nhận: /ungho nvh 2tr Nguyễn Văn A
usage-danhsachungho = Cách dùng: /danhsachungho nvh (trang sau: /danhsachungho nvh 2)

projects-none = { $village } chưa có công trình nào.
projects-none-short = (chưa có công trình nào)
projects-unknown = Không có công trình mã "{ $code }". Các mã hiện có: { $codes }.
projects-unknown-anywhere = Không tìm thấy công trình mã "{ $code }". Hãy gõ /dangky <mã thôn> trước, hoặc viết kèm mã thôn, ví dụ: thanhbinh/nvh.
projects-ambiguous = Nhiều thôn có công trình mã "{ $code }". Hãy viết kèm mã thôn, ví dụ: { $examples }.

projects-list-title = Công trình của { $village }
projects-list-line = #{ $code } · { $name } · { $percent }% · đã góp { $raised } · { $account }
projects-account-set = đã có tài khoản nhận ủng hộ
projects-account-unset = chưa có tài khoản nhận ủng hộ
projects-account-line = { $bank } · { $account } · { $holder }
projects-reach-note = Lưu ý: ảnh có chú thích #mã trong nhóm Telegram chỉ tới được bot khi bot là quản trị nhóm; trong nhóm Zalo cần nhắc tên bot. Lệnh /capnhat (gửi kèm hoặc trả lời ảnh) luôn dùng được.
projects-create-usage = Cách dùng: /congtrinh tao Nhà văn hóa | nvh | 1,2 tỷ
projects-create-bad-code = Mã công trình chỉ gồm chữ không dấu và số, tối đa 20 ký tự, ví dụ: nvh.
projects-create-bad-budget = Tôi chưa hiểu số tiền dự toán. Ví dụ: 1,2 tỷ hoặc 500tr.
projects-create-bad-bank = Tôi chưa hiểu tài khoản. Ví dụ: Vietcombank 0011001932418 Nguyen Van A
projects-code-taken = Thôn đã có công trình mã "{ $code }". Hãy chọn mã khác.
projects-no-budget = chưa có dự toán
projects-created =
    Đã tạo công trình { $name } (mã { $code }).
    Dự toán: { $budget }
    Tài khoản: { $account }
    Cập nhật tiến độ: gửi ảnh kèm chú thích #{ $code } hoặc /capnhat { $code }.
projects-bad-bank = Tôi không tìm thấy ngân hàng "{ $bank }". Ví dụ: Vietcombank, Agribank, BIDV, VietinBank.
projects-bad-account = Số tài khoản "{ $account }" không hợp lệ (chỉ gồm chữ số, tối đa 19 ký tự).
projects-account-saved = Đã lưu tài khoản nhận ủng hộ cho { $name }: { $account }. Việc này đã được ghi vào nhật ký.

projects-bad-percent = Phần trăm tiến độ phải từ 0% đến 100%, ví dụ: /capnhat nvh 40% Xây tường
projects-media-not-image = Tệp này không phải ảnh nên tôi chưa lưu. Hãy gửi ảnh (JPG, PNG) hoặc video.
projects-media-too-big = Ảnh lớn hơn { $mb } MB nên tôi chưa lưu. Hãy gửi ảnh nhỏ hơn.
projects-media-download = Tôi chưa tải được ảnh này. Vui lòng gửi lại sau ít phút.
projects-update-saved = Đã lưu cập nhật { $name } ({ $photos } ảnh) và gửi tới { $chats } nơi.
projects-update-saved-album = Đã lưu cập nhật { $name }. Các ảnh gửi cùng lúc được gộp thành một cập nhật và gửi tới các nhóm sau ít giây.
projects-update-title = { $project } ({ $village })
projects-update-percent = Tiến độ: { $percent }%
projects-update-footer = Ngày { $day } · xem tiến độ: /tiendo { $code }
projects-video-link = Xem video: { $url }
projects-video-on-page = Video xem trên trang công khai của thôn.
projects-photo-no-url = (Ảnh chưa gửi được qua Zalo vì bot chưa có địa chỉ web công khai.)

projects-progress-title = Tiến độ công trình – { $village }
projects-progress-line = #{ $code } · { $name }: { $percent }% · cập nhật { $day }
projects-never-updated = chưa cập nhật
projects-progress-hint = Xem chi tiết và ảnh: /tiendo { $code }
projects-timeline-title = { $name } – { $percent }%
projects-timeline-empty = Chưa có cập nhật nào. Cán bộ thôn gửi ảnh kèm chú thích #{ $code } để cập nhật.
projects-timeline-line = { $day }{ $percent } · { $text }{ $photos }
projects-timeline-percent = {" "}· { $percent }%
projects-timeline-photos = {" "}({ $photos } ảnh)
projects-page-link = Xem đầy đủ: { $url }

projects-followed = Bạn sẽ nhận mọi cập nhật của { $name } tại đây. Thôi nhận: /botheodoi { $code }
projects-unfollowed = Bạn sẽ không nhận cập nhật của { $name } nữa. Nhận lại: /theodoi { $code }

projects-anonymous = Hảo tâm
projects-gift-usage = Cách dùng: /ungho { $code } 2tr Nguyễn Văn A (hoặc "Hảo tâm" nếu người góp không muốn nêu tên)
projects-gift-bad-amount = Tôi chưa hiểu số tiền. Ví dụ: /ungho { $code } 2tr Nguyễn Văn A (viết 2tr, 1,5tr, 500k hoặc 2.000.000 đồng).
projects-gift-zero = Số tiền phải lớn hơn 0. Ví dụ: /ungho { $code } 500k Nguyễn Văn A
projects-gift-too-small = Số tiền dưới 1.000 đồng, có lẽ bị thiếu đơn vị. Ví dụ: /ungho { $code } 2tr Nguyễn Văn A
projects-gift-no-name = Hãy ghi tên người góp (hoặc "Hảo tâm"). Ví dụ: /ungho { $code } 2tr Nguyễn Văn A
projects-gift-no-reason = Điều chỉnh cần ghi lý do. Ví dụ: /ungho { $code } -2tr #3 ghi nhầm số tiền
projects-gift-recorded =
    Đã ghi nhận: { $amount } – { $donor } ủng hộ { $name }.
    Tổng đã góp: { $total } ({ $percent }% dự toán). Xem danh sách: /danhsachungho { $code }
projects-correction-bad-ref = Không có khoản ủng hộ số { $ref } để điều chỉnh. Xem số thứ tự: /danhsachungho { $code }
projects-correction-too-big = Số tiền điều chỉnh { $amount } lớn hơn số còn lại { $left }, nên tôi chưa ghi.
projects-correction-recorded =
    Đã ghi điều chỉnh { $amount } (khoản số { $ref }): { $reason }. Khoản cũ vẫn được giữ trong danh sách.
    Tổng đã góp: { $total } ({ $percent }% dự toán).

projects-ledger-title = Danh sách ủng hộ – { $name }
projects-ledger-empty = Chưa có khoản ủng hộ nào. Mã QR ủng hộ: /ungho { $code }
projects-ledger-line = { $n }. { $day } · { $name } · { $amount }
projects-ledger-correction = { $n }. { $day } · Điều chỉnh khoản { $ref }: { $reason } · { $amount }
projects-ledger-total = Tổng cộng: { $total } ({ $count } lượt góp)
projects-ledger-target = Dự toán: { $target } – đã đạt { $percent }%
projects-ledger-page = Trang { $page }/{ $pages }. Trang tiếp: /danhsachungho { $code } { $next }
projects-page-out = Danh sách chỉ có { $pages } trang. Ví dụ: /danhsachungho { $code } 1

projects-qr-no-account = { $name } chưa có tài khoản nhận ủng hộ do cán bộ thôn xác nhận, nên tôi không đưa mã QR. Xin đừng chuyển khoản theo số tài khoản lạ.
projects-qr-text =
    Ủng hộ { $name }: quét mã QR bằng ứng dụng ngân hàng.
    Ngân hàng: { $bank }
    Số tài khoản: { $account }
    Chủ tài khoản: { $holder }
    Nội dung: { $memo }

vpage-title = { $village } – thông tin công khai
vpage-subtitle = Thông báo, lịch họp, tiến độ công trình và danh sách ủng hộ
vpage-notices = Thông báo mới
vpage-no-notices = Chưa có thông báo.
vpage-meetings = Lịch họp sắp tới
vpage-no-meetings = Chưa có cuộc họp nào sắp tới.
vpage-no-projects = Thôn chưa có công trình nào.
vpage-progress = Tiến độ { $percent }%
vpage-raised-of = Đã góp { $raised } / dự toán { $target } ({ $percent }%)
vpage-raised = Đã góp { $raised }
vpage-timeline = Nhật ký thi công
vpage-no-updates = Chưa có cập nhật.
vpage-ledger = Danh sách ủng hộ
vpage-no-gifts = Chưa có khoản ủng hộ nào.
vpage-correction = Điều chỉnh khoản { $ref }: { $reason }
vpage-anonymous = Hảo tâm
vpage-donor = Người góp
vpage-amount = Số tiền
vpage-total = Tổng cộng
vpage-photo = Ảnh công trình
vpage-video-elsewhere = Video xem trong nhóm Telegram của thôn.
vpage-poster = Tờ QR để in
vpage-bot = Trò chuyện với bot của thôn
vpage-unknown-village = Không tìm thấy thôn này.
vposter-qr-page = Trang thông tin của thôn
vposter-qr-bot = Bot của thôn trên Telegram
vposter-line-1 = Quét mã để xem thông báo, lịch họp, tiến độ công trình và danh sách ủng hộ.
vposter-line-2 = Mọi khoản ủng hộ đều được công khai.
projects-ask-name = Tên công trình là gì? Trả lời tin nhắn này, ví dụ: Nhà văn hóa thôn
projects-ask-code = Mã ngắn của công trình (chữ không dấu, để gõ lệnh)? Ví dụ: nvh
projects-ask-budget = Dự toán bao nhiêu? Ví dụ: 500tr (gõ "không" nếu chưa có)
projects-ask-project = Ủng hộ cho công trình nào? Trả lời bằng mã công trình, ví dụ: nvh
projects-ask-amount = Số tiền ủng hộ? Ví dụ: 2tr hoặc 500.000
projects-ask-donor = Tên người góp? Ví dụ: Nguyễn Văn A (hoặc "Hảo tâm")
projects-ask-unknown = Không có công trình mã "{ $code }" trong thôn.
projects-ask-bad-amount = Tôi chưa hiểu số tiền "{ $code }".
projects-ask-update = Tiến độ thế nào? Trả lời tin này bằng ảnh kèm chú thích, hoặc chỉ chữ, ví dụ: 40% Đã đổ xong móng
projects-ask-update-project = Cập nhật tiến độ công trình nào? Trả lời bằng mã công trình, ví dụ: nvh
projects-gift-market-half = "Trăm rưỡi" là 150.000 đồng hay 150 đồng? Chưa ghi gì cả. Vui lòng ghi rõ, ví dụ: /ungho { $code } 150k Nguyễn Văn A
