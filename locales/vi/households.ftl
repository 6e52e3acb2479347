# Households (hộ): list, edits, import, links, reach.

help-ho = Danh sách hộ; thêm, sửa, nhập hộ
usage-ho =
    Cách dùng (trong tin nhắn riêng với bot):
    /ho — danh sách hộ (/ho 2 để xem trang 2)
    /ho them <xóm> | <chủ hộ> | <điện thoại>
    /ho sua <số hộ> <xóm> | <chủ hộ> | <điện thoại>
    /ho xoa <số hộ>
    /ho duyet <số hộ> — xác nhận người xin vào hộ
    /ho lienket <số hộ> <người> — gắn một người vào hộ
    /ho nhap — gửi kèm tệp CSV hoặc XLSX (cột: xóm, chủ hộ, điện thoại)
    Ví dụ: /ho them Xóm 3 | Nguyễn Văn An | 0912345678
usage-ho-them = Cần xóm và tên chủ hộ, cách nhau bởi dấu |. Ví dụ: /ho them Xóm 3 | Nguyễn Văn An | 0912345678
usage-ho-lienket = Hãy nêu người cần gắn: trả lời tin nhắn của họ, hoặc @tên, hoặc telegram:<mã> / zalo:<mã>. Ví dụ: /ho lienket 12 @nguyenvanan
ho-title = Các hộ của { $village } ({ $count } hộ) — trang { $page }/{ $pages }
ho-line = Hộ số { $n } · { $head } · { $hamlet } · ĐT { $phone } · { $members }{ $state }
ho-line-reached = {" "}· đã nhận TB số { $notice }
ho-line-not-reached = {" "}· CHƯA nhận TB số { $notice }
ho-no-members = chưa ai liên kết
ho-more = Xem tiếp: /ho { $next }
ho-empty = Thôn chưa có danh sách hộ. Thêm bằng /ho them hoặc nhập tệp bằng /ho nhap.
ho-bad-phone = Số điện thoại "{ $phone }" không hợp lệ. Ví dụ: 0912345678
ho-exists = Đã có hộ số { $n }: { $head } ({ $hamlet }). Muốn sửa thì dùng /ho sua { $n } …
ho-added = Đã thêm hộ số { $n }: { $head } ({ $hamlet }).
ho-edited = Đã sửa hộ số { $n }: { $head } ({ $hamlet }).
ho-not-found = Không có hộ số { $n } trong thôn.
ho-removed = Hộ số { $n } đã bị xóa khỏi danh sách.
ho-removed-done = Đã xóa hộ số { $n } ({ $head }) khỏi danh sách.
ho-nothing-to-approve = Không có ai đang chờ xác nhận vào hộ số { $n }.
ho-approved = Đã gắn vào hộ số { $n }: { $names }.
ho-request-gone = Yêu cầu này không còn chờ xác nhận.
ho-other-household = { $name } đã thuộc hộ số { $n }. Mỗi người chỉ thuộc một hộ trong thôn.
ho-request = { $name } xin được ghi vào hộ số { $n }: { $head } ({ $hamlet }). Xác nhận bằng /ho duyet { $n } hoặc nút dưới đây.
ho-request-button = Xác nhận
help-hocuatoi = Hộ của bạn / xin vào hộ
usage-hocuatoi = Cách dùng: /hocuatoi để xem hộ của bạn, /hocuatoi <số hộ> để xin ghi vào hộ. Ví dụ: /hocuatoi 12
hocuatoi-none = Bạn chưa thuộc hộ nào. Hỏi cán bộ thôn số hộ của gia đình rồi gõ /hocuatoi <số hộ>, ví dụ /hocuatoi 12.
hocuatoi-linked = Bạn thuộc hộ số { $n }: { $head }.
hocuatoi-pending = Bạn đã xin vào hộ số { $n } ({ $head }); đang chờ cán bộ xác nhận.
hocuatoi-already = Bạn đã thuộc hộ số { $n }. Nếu sai, hãy nhờ cán bộ thôn sửa.
hocuatoi-asked = Đã ghi yêu cầu vào hộ số { $n } ({ $head }); cán bộ thôn sẽ xác nhận.
hocuatoi-asked-no-official = Đã ghi yêu cầu vào hộ số { $n } ({ $head }). Hiện chưa có cán bộ nào nhắn riêng với bot nên chưa ai được báo; hãy nhắc cán bộ thôn gõ /ho duyet { $n }.
ho-import-no-file = Hãy gửi tệp CSV hoặc XLSX kèm lệnh /ho nhap (hoặc trả lời tin nhắn có tệp). Cột cần có: xóm, chủ hộ, điện thoại.
import-error-too-big = Tệp quá lớn (tối đa { $mb } MB). Danh sách hộ thường chỉ vài chục KB.
import-error-xlsx = Không đọc được tệp Excel này. Hãy lưu lại dạng .xlsx hoặc .csv rồi gửi lại.
import-error-format = Tệp không phải dạng CSV hoặc XLSX.
import-error-header = Không tìm thấy dòng tiêu đề có cột "xóm" và "chủ hộ" (có thể thêm "điện thoại").
import-error-too-many = Tệp có quá nhiều dòng (tối đa 5000 hộ).
import-error-empty = Tệp không có hộ nào.
import-bad-rows = Có { $count } dòng lỗi, chưa nhập gì. Sửa tệp rồi gửi lại:
import-row-missing = Dòng { $line }: thiếu xóm hoặc tên chủ hộ.
import-row-phone = Dòng { $line }: số điện thoại "{ $detail }" không hợp lệ.
import-row-duplicate = Dòng { $line }: trùng với dòng { $detail }.
import-more-errors = … và { $count } dòng lỗi nữa.
import-title = Xem trước: tệp có { $count } hộ
import-summary = Sẽ thêm { $added } hộ, cập nhật điện thoại { $changed } hộ, { $same } hộ giữ nguyên; { $untouched } hộ đang có không nằm trong tệp sẽ được để nguyên.
import-add-line = + { $hamlet } · { $head }
import-change-line = ~ Hộ số { $n } · { $head }: { $old } → { $new }
import-confirm-hint = Chưa nhập gì. Gõ /xacnhan để nhập hoặc /huy để bỏ (bản nháp số { $n }, giữ đến { $until }).
import-button-ok = Nhập
import-button-cancel = Bỏ
import-no-draft = Không có tệp nào đang chờ nhập (hoặc đã hết hạn). Gửi lại tệp với /ho nhap.
import-done = Đã nhập: thêm { $added } hộ, cập nhật { $changed } hộ.
import-cancelled = Đã bỏ, không nhập gì.
help-chuanhan = Hộ chưa nhận thông báo hoặc cuộc họp, kèm SĐT
usage-chuanhan = Cách dùng: /chuanhan <số thông báo> [trang], hoặc /chuanhan hop <số cuộc họp> [trang]. Ví dụ: /chuanhan 3
chuanhan-no-notice = Thông báo số { $n } chưa được gửi trong thôn này.
chuanhan-title = Thông báo số { $n }: hộ chưa nhận — trang { $page }/{ $pages }
chuanhan-hamlet = { $hamlet }:
chuanhan-not-reached = • Hộ số { $n } · { $head } · ĐT { $phone }
chuanhan-read-header = Đã nhận nhưng chưa xem:
chuanhan-not-read = • Hộ số { $n } · { $head } ({ $hamlet }) · ĐT { $phone }
chuanhan-all = Mọi hộ đều đã nhận và đã xem.
chuanhan-more = Xem tiếp: /chuanhan { $n } { $next }
ho-private-only = Danh sách hộ và số điện thoại chỉ xem được trong tin nhắn riêng với bot, không gửi vào nhóm.
reach-summary = { $reached }/{ $total } hộ đã nhận, { $read } hộ đã xem.
reach-summary-meeting = { $reached }/{ $total } hộ đã nhận, { $read } hộ đã trả lời (tham dự hoặc vắng).
chuanhan-no-meeting = Cuộc họp số { $n } chưa được gửi trong thôn này.
chuanhan-title-meeting = Cuộc họp số { $n }: hộ chưa nhận — trang { $page }/{ $pages }
chuanhan-read-header-meeting = Đã nhận nhưng chưa trả lời:
chuanhan-all-meeting = Mọi hộ đều đã nhận và đã trả lời.
chuanhan-more-meeting = Xem tiếp: /chuanhan hop { $n } { $next }
