# Residents' reports: /phananh, /phananhcuatoi; officials: /xuly, /xong, /tuchoi, /caidat phananh.

help-phananh = Report a problem, with photos
help-phananhcuatoi = Your reports
help-xuly = Take a report on
help-xong = Mark a report done
help-tuchoi = Reject a report
caidat-phananh-help = /caidat phananh 3 — remind the officials when a report is untouched for 3 days; /caidat phananh toida 5 — at most 5 reports per person per day

reports-usage =
    Usage: /phananh Street light broken at the top of hamlet 3
    Attach photos (or reply to a photo with this command, or send a photo captioned #phananh …). You may add the place after |, for example: /phananh Big pothole | in front of the hamlet 2 hall
reports-usage-xuly = Usage: /xuly 3 Called the power company, new bulb this afternoon
reports-usage-xong = Usage: /xong 3 New bulb fitted (attach or reply to a photo of the result if you have one)
reports-usage-tuchoi = Usage: /tuchoi 3 This road belongs to the commune; passed on to the commune
reports-usage-mine = Usage: /phananhcuatoi (the list), /phananhcuatoi 3 hienten (show your name on the village page) or /phananhcuatoi 3 anten

reports-no-village = I don't know your village yet. Send the report in your village's group, or type /dangky <village code> in a private chat first.
reports-need-text = Please add a few words about the problem, for example: /phananh Street light broken at the top of hamlet 3
reports-media-video = Reports take photos, not videos yet. Please send a photo of the problem.
reports-media-not-image = This file is not a photo, so I have not saved the report. Please send a photo (JPG, PNG).
reports-media-too-big = The photo is larger than { $mb } MB, so I have not saved the report. Please send a smaller photo.
reports-media-download = I could not download the photo, so I have not saved the report. Please try again in a few minutes.
reports-merged = You already sent this report (number { $n }); I merged it into report { $n } and added { $photos } photo(s).
reports-limit = Each person may send at most { $limit } reports a day. Please send more tomorrow, or contact the village officials if it is urgent.
reports-saved = Report number { $n } received ({ $photos } photo(s)) and passed to the officials of { $village }.
reports-saved-album = Report number { $n } received; it goes to the officials of { $village } in a few seconds, with every photo sent together with it.
reports-saved-dm = You will hear in your private chat each time report { $n } is acted on. Your name is not shown on the village's public page; to show it: /phananhcuatoi { $n } hienten
reports-saved-no-dm = To hear when report { $n } is acted on, send /start to the bot in a private chat. See the status any time: /phananhcuatoi
reports-location-added = Location added to report { $n }.
reports-location-unused = I got the location but there is no report to add it to. Send /phananh <text> first, then the location within 30 minutes.

reports-status-new = New
reports-status-doing = In progress
reports-status-done = Done
reports-status-rejected = Rejected
reports-age-days = { $days } days
reports-age-hours = { $hours } hours
reports-no-place = place not given
reports-no-text = (no text)
reports-someone = a resident
reports-source-private = private chat
reports-source-group = the village group
reports-photo-no-url = (Photos cannot be sent on this platform yet; see them with /phananh <number>.)

reports-alert-title = New report number { $n } · { $village }
reports-alert-place = Place: { $place }
reports-alert-from = From: { $name } (via { $source })
reports-alert-map = Location: { $url }
reports-alert-photos = Photos: { $count }
reports-alert-commands = Act: /xuly { $n } <note> · /xong { $n } <result> · /tuchoi { $n } <reason>
reports-button-doing = Take it on
reports-button-hide = Hide from the village page
reports-button-stale = This report no longer exists.

reports-open-title = Open reports of { $village } ({ $count })
reports-open-line = Number { $n } · { $age } · { $status } · { $area } · { $text }
reports-open-more = … and { $count } more.
reports-open-footer = Details: /phananh { $n } · Act: /xuly { $n } <note>
reports-open-none = { $village } has no open reports.
reports-detail-title = Report number { $n }
reports-detail-status = Status: { $status } · sent on { $day } ({ $age } ago)
reports-not-found = There is no report number { $n } in this village.
reports-not-yours = Report number { $n } is not yours, so you cannot change it.
reports-already-closed = Report number { $n } is closed ({ $status }) and cannot change any more.
reports-hidden = Report number { $n } is hidden from the village's public page. This was recorded in the audit log.
reports-unhidden = Report number { $n } is shown on the village's public page again.

reports-acted-doing = Report number { $n } recorded: in progress.
reports-acted-done = Report number { $n } recorded: done.
reports-acted-rejected = Report number { $n } recorded: rejected.
reports-reporter-told = The reporter will hear in their private chat.
reports-reporter-not-told = The reporter has no private chat with the bot, so they did not get this news.

reports-you-doing = Your report number { $n } ({ $text }) is being dealt with by the officials of { $village }.
reports-you-done = Your report number { $n } ({ $text }) has been dealt with by the officials of { $village }. Thank you for telling us!
reports-you-rejected = Your report number { $n } ({ $text }) was not taken on by the officials of { $village }.
reports-you-note = The officials wrote: { $note }
reports-you-footer = See your reports: /phananhcuatoi
reports-group-done = Report number { $n } ({ $text }, { $area }) has been dealt with. Thank you for telling us.

reports-stale-title = { $count } report(s) untouched for over { $days } days · { $village }
reports-stale-line = Number { $n } · untouched for { $age } · { $status } · { $text }
reports-stale-footer = Act: /xuly { $n } <note> · The list: /phananh

reports-mine-title = Your reports ({ $count })
reports-mine-line = Number { $n } · { $day } · { $status } · { $text }
reports-mine-footer = Show your name on the village page: /phananhcuatoi { $n } hienten
reports-mine-none = You have not sent any reports. To send one: /phananh <text> with a photo.
reports-name-shown = Your name will be shown with report number { $n } on the village's public page.
reports-name-hidden = Your name is not shown with report number { $n } on the village's public page.

reports-setting-show = Reports in { $village }: the officials are reminded after { $days } untouched days; at most { $limit } reports per person per day.
reports-setting-saved = Saved. Reports in { $village }: the officials are reminded after { $days } untouched days; at most { $limit } reports per person per day.
reports-setting-usage = Usage: /caidat phananh 3 (remind after 3 days, 1 to 30) or /caidat phananh toida 5 (at most 5 reports per person per day, 1 to 50)

reports-page-title = Residents' reports · { $village }
reports-page-heading = Residents' reports
reports-page-none = No reports yet.
reports-page-number = Number { $n }
reports-page-days = { $days } days
reports-page-by = Sent by: { $name }
reports-page-result = Result: { $note }
reports-page-back = Back to the village page
reports-page-unknown = No such village.
reports-page-all = All reports
