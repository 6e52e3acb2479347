# Projects: photo progress, donation ledger, VietQR code, the village's public page.

help-congtrinh = Projects; create one: type /congtrinh tao and answer one question at a time (or /congtrinh tao <name> | <code> | <budget>)
help-capnhat = Post a project progress update with photos
help-tiendo = Progress of the village's projects
help-ungho = A project's donation QR code (officials: record a gift)
help-danhsachungho = Donation list and total
help-theodoi = Get every update of a project in this private chat
help-botheodoi = Stop getting a project's updates

usage-congtrinh =
    Usage:
    /congtrinh tao Cultural house | nvh | 1.2 tỷ | Vietcombank 0011001932418 Nguyen Van A
    /congtrinh taikhoan nvh | Vietcombank 0011001932418 Nguyen Van A
    /congtrinh (list)
usage-capnhat =
    Usage: send photos captioned /capnhat nvh 40% Walls going up, or reply to a photo with /capnhat nvh 40% Walls going up.
    In a Telegram group, a photo captioned #nvh reaches the bot only when the bot is a group admin (or privacy mode is off); in a Zalo group, mention the bot or reply to it. /capnhat always works.
usage-tiendo = Usage: /tiendo or /tiendo nvh
usage-theodoi = Usage (in a private chat with the bot): /theodoi nvh or /botheodoi nvh
usage-ungho = Usage: /ungho nvh (the QR code). Officials record a gift: /ungho nvh 2tr Nguyen Van A
usage-danhsachungho = Usage: /danhsachungho nvh (next page: /danhsachungho nvh 2)

projects-none = { $village } has no projects yet.
projects-none-short = (no projects yet)
projects-unknown = There is no project with code "{ $code }". Codes: { $codes }.
projects-unknown-anywhere = No project with code "{ $code }" found. Type /dangky <village code> first, or add the village code, e.g. thanhbinh/nvh.
projects-ambiguous = Several villages have a project "{ $code }". Add the village code, e.g. { $examples }.

projects-list-title = Projects of { $village }
projects-list-line = #{ $code } · { $name } · { $percent }% · raised { $raised } · { $account }
projects-account-set = donation account set
projects-account-unset = no donation account yet
projects-account-line = { $bank } · { $account } · { $holder }
projects-reach-note = Note: in a Telegram group a photo captioned #code reaches the bot only when the bot is a group admin; in a Zalo group, mention the bot. /capnhat (with or replying to a photo) always works.
projects-create-usage = Usage: /congtrinh tao Cultural house | nvh | 1.2 tỷ
projects-create-bad-code = A project code is plain letters and digits, at most 20 characters, e.g. nvh.
projects-create-bad-budget = I did not understand the budget. Example: 1,2 tỷ or 500tr.
projects-create-bad-bank = I did not understand the account. Example: Vietcombank 0011001932418 Nguyen Van A
projects-code-taken = The village already has a project "{ $code }". Please choose another code.
projects-no-budget = no budget yet
projects-created =
    Created project { $name } (code { $code }).
    Budget: { $budget }
    Account: { $account }
    Post progress: a photo captioned #{ $code } or /capnhat { $code }.
projects-bad-bank = I could not find the bank "{ $bank }". Examples: Vietcombank, Agribank, BIDV, VietinBank.
projects-bad-account = The account number "{ $account }" is not valid (digits only, at most 19).
projects-account-saved = Saved the donation account of { $name }: { $account }. This was written to the audit log.

projects-bad-percent = Progress must be between 0% and 100%, e.g. /capnhat nvh 40% Walls going up
projects-media-not-image = This file is not a photo, so I did not keep it. Please send a photo (JPG, PNG) or a video.
projects-media-too-big = The photo is larger than { $mb } MB, so I did not keep it. Please send a smaller one.
projects-media-download = I could not download this photo. Please send it again in a few minutes.
projects-update-saved = Saved the update of { $name } ({ $photos } photos) and sent it to { $chats } chats.
projects-update-saved-album = Saved the update of { $name }. Photos sent together become one update, posted to the groups in a few seconds.
projects-update-title = { $project } ({ $village })
projects-update-percent = Progress: { $percent }%
projects-update-footer = { $day } · progress: /tiendo { $code }
projects-video-link = Watch the video: { $url }
projects-video-on-page = The video is on the village's public page.
projects-photo-no-url = (The photo could not be sent on Zalo: the bot has no public web address yet.)

projects-progress-title = Project progress – { $village }
projects-progress-line = #{ $code } · { $name }: { $percent }% · updated { $day }
projects-never-updated = not updated yet
projects-progress-hint = Details and photos: /tiendo { $code }
projects-timeline-title = { $name } – { $percent }%
projects-timeline-empty = No updates yet. Officials post a photo captioned #{ $code } to add one.
projects-timeline-line = { $day }{ $percent } · { $text }{ $photos }
projects-timeline-percent = {" "}· { $percent }%
projects-timeline-photos = {" "}({ $photos } photos)
projects-page-link = Everything: { $url }

projects-followed = You will get every update of { $name } here. Stop: /botheodoi { $code }
projects-unfollowed = You will no longer get updates of { $name }. Again: /theodoi { $code }

projects-anonymous = Hảo tâm (anonymous)
projects-gift-usage = Usage: /ungho { $code } 2tr Nguyen Van A (or "Hảo tâm" for an anonymous donor)
projects-gift-bad-amount = I did not understand the amount. Example: /ungho { $code } 2tr Nguyen Van A (write 2tr, 1,5tr, 500k or 2.000.000 đồng).
projects-gift-zero = The amount must be more than 0. Example: /ungho { $code } 500k Nguyen Van A
projects-gift-too-small = The amount is under 1,000 đồng; a unit is probably missing. Example: /ungho { $code } 2tr Nguyen Van A
projects-gift-no-name = Please give the donor's name (or "Hảo tâm"). Example: /ungho { $code } 2tr Nguyen Van A
projects-gift-no-reason = A correction needs a reason. Example: /ungho { $code } -2tr #3 wrong amount
projects-gift-recorded =
    Recorded: { $amount } – { $donor } for { $name }.
    Total raised: { $total } ({ $percent }% of the budget). List: /danhsachungho { $code }
projects-correction-bad-ref = There is no gift number { $ref } to correct. See the numbers: /danhsachungho { $code }
projects-correction-too-big = The correction { $amount } is more than what is left ({ $left }), so I did not record it.
projects-correction-recorded =
    Recorded a correction of { $amount } (gift { $ref }): { $reason }. The old entry stays in the list.
    Total raised: { $total } ({ $percent }% of the budget).

projects-ledger-title = Donations – { $name }
projects-ledger-empty = No donations yet. Donation QR code: /ungho { $code }
projects-ledger-line = { $n }. { $day } · { $name } · { $amount }
projects-ledger-correction = { $n }. { $day } · Correction of gift { $ref }: { $reason } · { $amount }
projects-ledger-total = Total: { $total } ({ $count } gifts)
projects-ledger-target = Budget: { $target } – { $percent }% reached
projects-ledger-page = Page { $page }/{ $pages }. Next: /danhsachungho { $code } { $next }
projects-page-out = The list has only { $pages } pages. Example: /danhsachungho { $code } 1

projects-qr-no-account = { $name } has no donation account confirmed by a village official, so I will not show a QR code. Please do not transfer money to unknown accounts.
projects-qr-text =
    Donate to { $name }: scan the QR code with your banking app.
    Bank: { $bank }
    Account: { $account }
    Holder: { $holder }
    Message: { $memo }

vpage-title = { $village } – public information
vpage-subtitle = Notices, meetings, project progress and donations
vpage-notices = Latest notices
vpage-no-notices = No notices yet.
vpage-meetings = Upcoming meetings
vpage-no-meetings = No upcoming meetings.
vpage-no-projects = The village has no projects yet.
vpage-progress = Progress { $percent }%
vpage-raised-of = Raised { $raised } of { $target } ({ $percent }%)
vpage-raised = Raised { $raised }
vpage-timeline = Construction diary
vpage-no-updates = No updates yet.
vpage-ledger = Donations
vpage-no-gifts = No donations yet.
vpage-correction = Correction of gift { $ref }: { $reason }
vpage-anonymous = Hảo tâm (anonymous)
vpage-donor = Donor
vpage-amount = Amount
vpage-total = Total
vpage-photo = Project photo
vpage-video-elsewhere = The video is in the village's Telegram group.
vpage-poster = Printable QR sheet
vpage-bot = Chat with the village bot
vpage-unknown-village = Village not found.
vposter-qr-page = The village's information page
vposter-qr-bot = The village bot on Telegram
vposter-line-1 = Scan to see notices, meetings, project progress and donations.
vposter-line-2 = Every donation is public.
projects-ask-name = What is the project called? Reply to this message, for example: Village hall
projects-ask-code = A short code for the project (plain letters, for commands)? For example: nvh
projects-ask-budget = What is the budget? For example: 500tr (type "không" if none yet)
projects-ask-project = Which project is the donation for? Reply with its code, for example: nvh
projects-ask-amount = How much? For example: 2tr or 500.000
projects-ask-donor = Who gave it? For example: Nguyễn Văn A (or "Hảo tâm")
projects-ask-unknown = There is no project with code "{ $code }" in this village.
projects-ask-bad-amount = I did not understand the amount "{ $code }".
projects-ask-update = What is the progress? Reply to this message with photos and a caption, or just text, for example: 40% Foundations poured
projects-ask-update-project = Which project is the progress update for? Reply with its code, for example: nvh
projects-gift-market-half = Does "trăm rưỡi" mean 150,000 đồng or 150 đồng? Nothing is recorded. Please write it out, for example: /ungho { $code } 150k Nguyen Van A
