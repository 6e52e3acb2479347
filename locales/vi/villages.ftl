# Villages, chats and roles: /taothon, /ketnoi, /dangky, /canbo, /capquyen, /nhatky, /caidat.

villages-none-yet = chưa có thôn nào (quản trị viên tạo bằng /taothon)
villages-valid = Các mã thôn hiện có: { $codes }
villages-unknown = Không có thôn mã “{ $code }”. Các mã thôn hiện có: { $codes }
villages-commune = toàn xã
who-unknown-username = Tôi chưa biết ai có tên @{ $username } trên { $platform }. Nhờ người đó nhắn /toi cho bot trước, rồi thử lại (hoặc dùng mã, ví dụ { $platform }:123456).

help-taothon = Tạo thôn mới
usage-taothon = Cách dùng: /taothon <mã> <tên thôn>, ví dụ: /taothon thanhbinh Thôn Thanh Bình
taothon-bad-code = Mã thôn “{ $code }” chưa hợp lệ: dùng 2–40 chữ cái không dấu, chữ số hoặc dấu -, ví dụ: thanhbinh
taothon-exists = Đã có thôn mã “{ $code }”. Vui lòng chọn mã khác.
taothon-done = Đã tạo { $name } (mã { $code }). Vào nhóm của thôn và gõ /ketnoi { $code } để kết nối nhóm.

help-ketnoi = Kết nối nhóm này với một thôn
usage-ketnoi = Cách dùng: /ketnoi <mã thôn> [nhãn …], ví dụ: /ketnoi thanhbinh dang-vien
ketnoi-bad-tags = Nhãn chưa hợp lệ: { $tags }. Nhãn chỉ gồm chữ không dấu, chữ số và dấu -, ví dụ: dang-vien, hoi-phu-nu, huu-tri
ketnoi-no-tags = không có
ketnoi-done = Đã kết nối nhóm này với { $village }. Nhãn: { $tags }.
ketnoi-moved = Đã chuyển nhóm này từ { $old } sang { $village }. Nhãn: { $tags }.

help-ngatketnoi = Ngắt kết nối nhóm này khỏi thôn
ngatketnoi-not-linked = Nhóm này chưa được kết nối với thôn nào.
ngatketnoi-done = Đã ngắt kết nối nhóm này khỏi { $village }. Nhóm sẽ không nhận thông báo của thôn nữa.

help-dangky = Nhận thông báo của thôn qua tin nhắn riêng
usage-dangky = Cách dùng: /dangky <mã thôn>, ví dụ: /dangky thanhbinh
dangky-group = Lệnh /dangky và /huydangky dùng trong tin nhắn riêng với bot, để bạn nhận thông báo của thôn ngay trong tin nhắn riêng. Nhóm này do quản trị viên kết nối bằng /ketnoi.
dangky-done = Đã đăng ký: bạn sẽ nhận thông báo và lời nhắc của { $village } tại đây. Muốn dừng, gõ /huydangky.
dangky-moved = Đã chuyển đăng ký từ { $old } sang { $village }. Mỗi lần chỉ theo dõi một thôn. Muốn dừng, gõ /huydangky.
dangky-already = Bạn đã đăng ký nhận thông báo của { $village } rồi. Muốn dừng, gõ /huydangky.

help-huydangky = Dừng nhận thông báo của thôn
huydangky-none = Bạn chưa đăng ký thôn nào. Gõ /dangky <mã thôn> để đăng ký.
huydangky-done = Đã dừng nhận thông báo của { $village }. Bạn có thể đăng ký lại bất cứ lúc nào bằng /dangky.

help-canbo = Danh sách cán bộ thôn
canbo-which = Bạn muốn xem cán bộ thôn nào? Gõ /canbo <mã thôn>. Các mã thôn hiện có: { $codes }
canbo-none = Chưa có cán bộ nào được ghi nhận cho { $place }.
canbo-title = Cán bộ { $place }
canbo-line = • { $title }: { $name }
canbo-line-commune = • { $title } (cấp xã): { $name }
canbo-unnamed = (chưa rõ tên)

help-capquyen = Cấp quyền cán bộ
usage-capquyen = Cách dùng: trả lời tin nhắn của người đó bằng /capquyen <mã thôn|xa> <chức danh>, hoặc /capquyen <@tên | telegram:<mã> | zalo:<mã>> <mã thôn|xa> <chức danh>, ví dụ: /capquyen @nguyenvanba thanhbinh Trưởng thôn
capquyen-done = Đã cấp quyền: { $name } là { $title } của { $place }.
capquyen-updated = Đã đổi chức danh: { $name } nay là { $title } của { $place }.

help-thuhoiquyen = Thu hồi quyền cán bộ
usage-thuhoiquyen = Cách dùng: trả lời tin nhắn của người đó bằng /thuhoiquyen [mã thôn|xa], hoặc /thuhoiquyen <@tên | telegram:<mã> | zalo:<mã>> [mã thôn|xa], ví dụ: /thuhoiquyen @nguyenvanba
thuhoiquyen-none = { $name } không có quyền cán bộ nào để thu hồi.
thuhoiquyen-done = Đã thu hồi quyền của { $name }: { $titles }.

help-nhatky = Nhật ký thao tác
nhatky-title = Nhật ký ({ $count } mục gần nhất)
nhatky-empty = Nhật ký chưa có mục nào.
nhatky-line = { $at } · { $name } · /{ $action } · thôn { $village } · { $detail }
nhatky-line-refused = { $at } · { $name } · /{ $action } · BỊ TỪ CHỐI · thôn { $village } · { $detail }

help-caidat = Cài đặt của thôn
caidat-title = Các cài đặt của thôn (gõ /caidat <tên> …):
caidat-quantri-help = /caidat quantri bat|tat — quản trị viên nhóm Telegram được coi là cán bộ thôn trong nhóm đó
caidat-on = bật
caidat-off = tắt
caidat-quantri-status = { $village }: quản trị viên nhóm Telegram được coi là cán bộ — đang { $state }. Đổi bằng /caidat quantri bat hoặc /caidat quantri tat.
caidat-quantri-on = Đã bật: trong các nhóm Telegram của { $village }, quản trị viên nhóm được dùng các lệnh của cán bộ thôn.
caidat-quantri-off = Đã tắt: chỉ những người được cấp quyền bằng /capquyen mới là cán bộ của { $village }.
