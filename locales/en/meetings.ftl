# Meetings: /taohop, /lich-hop, RSVP, reminders, recurring notices, /caidat nhac.

help-lich-hop = Upcoming meetings
help-taohop = Create a meeting: type /taohop and answer one question at a time (or /taohop <when> | <where> | <topic>); preview, then /xacnhan
help-huyhop = Cancel meeting n (preview, then /xacnhan)
help-doihop = Move meeting n to another time (preview, then /xacnhan)
help-thamdu = Say you will attend meeting n
help-vang = Say you cannot attend meeting n
help-diemdanh = Who answered for meeting n
help-nhacdinhky = Recurring notices: create (preview, then /xacnhan), list, delete

meetings-none = { $village } has no upcoming meetings.
meetings-title = Meetings of { $village } (next 30 days)
meetings-item =
    No. { $n } · { $when }
    📍 { $place }
    📝 { $topic }
    ✅ { $yes } attending · ❌ { $no } absent
meetings-footer = Type /lich-hop <number> for details; /thamdu <number> or /vang <number> to answer.
meetings-ics = Add the meetings to your phone calendar: { $url }
meetings-ics-name = Meetings of { $village }
meetings-ics-summary = Village meeting
meeting-detail-title = Meeting { $n }

meeting-field-when = 🕒 When: { $when }
meeting-field-place = 📍 Where: { $place }
meeting-field-topic = 📝 Topic: { $topic }
meeting-field-rsvp = ✅ Attending: { $yes } · ❌ Absent: { $no }
meeting-rsvp-hint = Answer with /thamdu { $n } or /vang { $n }.
meeting-btn-yes = Attend ({ $n })
meeting-btn-no = Absent ({ $n })
meeting-announce-title = 📢 Meeting notice — { $village }
meeting-sent-to = Sending the notice to { $count } groups and subscribers.
meeting-created = Meeting { $n } created: { $when } at { $place }.
meeting-cancelled-done = Meeting { $n } ({ $when }) cancelled.
meeting-moved-done = Meeting { $n } moved from { $old } to { $when }.
meeting-cancelled-title = ❌ Meeting cancelled — { $village }
meeting-cancelled-body = Meeting { $n } "{ $topic }" on { $when } at { $place } has been cancelled.
meeting-moved-title = 🔁 Meeting moved — { $village }
meeting-moved-body = The meeting "{ $topic }" moved from { $old } to { $when }.
meeting-not-found = There is no meeting { $n }. Type /lich-hop to see the list.
meeting-number-usage = Usage: /{ $command } <meeting number, see /lich-hop>, for example: /{ $command } 1

taohop-usage = Usage: /taohop 19h30 thứ Bảy | Nhà văn hóa thôn | Planning the smart village
taohop-ask-when = When is the meeting? Reply to this message, for example: { $example }
taohop-ask-place = Where is the meeting? Reply to this message, for example: Village hall
taohop-ask-topic = What is the meeting about? Reply to this message, for example: Clean-up day plan
taohop-understood = Time: { $when }.
doihop-usage = Usage: /doihop <number> <when>, for example: /doihop 1 19h30 Chủ nhật

when-or = {" "}or{" "}
when-no-time = At what time on { $day }? Please send it again with the time, for example: { $example }
when-ambiguous = "{ $text }" could be { $options }. My guess is { $guess }, but nothing is saved yet. Please send it again more precisely (add sáng/chiều/tối), for example: { $example }
when-past = { $when } has already passed; nothing is saved. Please send a time still to come, for example: { $example }
when-unparseable =
    I did not understand the time "{ $text }"; nothing is saved. You can write, for example:
    { $examples }

rsvp-yes-done = Noted: { $name } will attend meeting { $n } ({ $when }). Now { $yes } attending, { $no } absent.
rsvp-no-done = Noted: { $name } cannot attend meeting { $n } ({ $when }). Now { $yes } attending, { $no } absent.
rsvp-toast-yes = Noted: you will attend ({ $yes } attending, { $no } absent).
rsvp-toast-no = Noted: you will be absent ({ $yes } attending, { $no } absent).
rsvp-closed = This meeting was cancelled or is over.

diemdanh-title = Attendance for meeting { $n }
diemdanh-yes = ✅ Attending ({ $count }): { $names }
diemdanh-no = ❌ Absent ({ $count }): { $names }
diemdanh-nobody = nobody yet

reminder-title = 🔔 Meeting reminder — { $village }
reminder-title-late = 🔔 Meeting reminder (late) — { $village }
reminder-left = The meeting starts in { $left }.
dur-days = { $n } d
dur-hours = { $n } h
dur-minutes = { $n } min

caidat-nhac-usage = Usage: /caidat nhac 24h,2h,15p (at most 5 times, each at most 30 days).
caidat-nhac-show = { $village } sends meeting reminders before: { $offsets }.
caidat-nhac-done = Done: { $village } will send meeting reminders before: { $offsets }.

nhacdinhky-usage = Usage: /nhacdinhky mỗi Chủ nhật 6:30 | Street clean-up
nhacdinhky-none = { $village } has no recurring notices. Create one: /nhacdinhky mỗi Chủ nhật 6:30 | Street clean-up
nhacdinhky-title = Recurring notices of { $village }
nhacdinhky-item = No. { $n } · { $text } — next: { $when }
nhacdinhky-footer = Delete: /nhacdinhky xoa <number>
nhacdinhky-created =
    Recurring notice { $n } created: { $text }
    First one: { $when }
nhacdinhky-no-time = A recurring notice needs a time of day, for example: /nhacdinhky mỗi Chủ nhật 6:30 | Street clean-up
nhacdinhky-unparseable = I did not understand the repeat rule "{ $text }". Example: /nhacdinhky ngày 1 hàng tháng 8h | Village fund
nhacdinhky-not-found = There is no recurring notice { $n }. Type /nhacdinhky to see the list.
nhacdinhky-deleted = Recurring notice { $n } deleted: { $text }
recurring-title = 🔔 Recurring notice — { $village }
recurring-title-late = 🔔 Recurring notice (late) — { $village }
meeting-was-cancelled = Meeting { $n } ({ $when }) was cancelled. Type /lich-hop to see the upcoming meetings.
meeting-was-held = Meeting { $n } ({ $when }) has already taken place. Type /lich-hop to see the upcoming meetings.
meeting-changed-since = Meeting { $n } was changed after this preview, so nothing was sent. Please start again to see the new details.
meeting-preview-create = Preview: new meeting — { $village }
meeting-preview-cancel = Preview: cancel meeting { $n }
meeting-preview-move = Preview: move meeting { $n }
meeting-preview-move-from = 🕒 Now: { $old }
meeting-preview-move-to = ➡️ Moves to: { $when }
nhacdinhky-preview = Preview: new recurring notice
nhacdinhky-preview-body =
    🔁 Repeats: { $rule }
    🕒 First sent: { $when }
    📝 Text: { $text }
flow-stopped = Stopped; nothing was saved.
taohop-split-ask =
    I understood the time: { $when }. The rest, "{ $rest }" — which part is the place and which the topic? Answer with a number:
    { $options }
    Or type the place, for example: Village hall
taohop-split-option = { $n }. Place: { $place } · Topic: { $topic }
taohop-split-button = { $place } / { $topic }

when-unclear = I understood "{ $understood }"{ $guess } but not "{ $unused }", so nothing is saved. Please send the full date and time again (write "âm lịch" for a lunar date), for example: { $example }
when-unclear-guess = {" "}(= { $when })
when-lunar = { $when } ({ $lunar })
