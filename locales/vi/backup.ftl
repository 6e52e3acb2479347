backup-done = Đã sao lưu cơ sở dữ liệu ({ $bytes } byte) và { $media } tệp ảnh vào { $path }.
restore-done = Đã khôi phục cơ sở dữ liệu ({ $bytes } byte) và { $media } tệp ảnh vào { $path }. Giờ có thể chạy lại bot.
backup-error-not-sqlite = Lệnh này chỉ dùng cho SQLite. Với PostgreSQL hãy dùng pg_dump / pg_restore (xem docs/deploy.md).
backup-error-no-database = Không tìm thấy tệp cơ sở dữ liệu { $detail }.
backup-error-no-backup = Không tìm thấy tệp sao lưu { $detail }.
backup-error-bad-backup = Tệp sao lưu không hợp lệ hoặc bị hỏng ({ $detail }).
backup-error-running = Bot đang chạy trên cơ sở dữ liệu { $detail }: hãy dừng bot trước khi khôi phục.
backup-error-exists = Đã có cơ sở dữ liệu { $detail }. Thêm --force để thay (bản cũ được giữ lại với đuôi .before-restore).
