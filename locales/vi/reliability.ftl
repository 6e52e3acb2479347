# Reliability: what a person is told when the bot cannot keep up for a moment.

error-busy = Hệ thống đang bận nên tin nhắn này chưa được xử lý. Vui lòng gửi lại sau ít phút.
