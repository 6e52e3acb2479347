help-lich-hop = Lịch họp sắp tới
meetings-none = { $village } chưa có cuộc họp nào sắp tới.
