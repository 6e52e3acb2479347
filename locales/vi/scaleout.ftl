# villagebot copy-data (chuyển dữ liệu sang cơ sở dữ liệu khác)
copydata-table = { $table }: { $rows } dòng
copydata-done = Đã chép { $total } dòng của { $tables } bảng sang { $target }.
copydata-error-target-not-empty = Cơ sở dữ liệu đích đã có dữ liệu (bảng: { $table }). Thêm --force để xóa hết rồi chép lại.
copydata-error-same-database = Nguồn và đích là cùng một cơ sở dữ liệu; không chép gì.
copydata-error-bad-url = Địa chỉ cơ sở dữ liệu không hợp lệ ({ $detail }); ví dụ: postgresql+asyncpg://villagebot@localhost/villagebot
copydata-error-row-rejected = Bảng { $table }: một dòng bị từ chối ({ $detail }). Chưa có gì được chép.
