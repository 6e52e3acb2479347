# The village's public page (/v/<village code>) and its printable QR sheet: shared parts and the
# parts features add.

vpage-description = Notices, meetings, project progress and donations of { $village }.
vpage-summary-meetings = { $count } upcoming meetings.
vpage-summary-project = { $name }: { $percent }% done, { $raised } raised.
vpage-calendar-subscribe = Add the meetings to your phone's calendar
vpage-calendar-file = Download the meetings calendar (.ics)
vpage-donate = Donate to this project
vpage-donate-bank = Bank
vpage-donate-account = Account number
vpage-donate-holder = Account holder
vpage-donate-memo = Transfer message
vpage-donate-copy = Copy the account number
vpage-donate-copied = Account number copied
vpage-donate-copy-failed = Could not copy; please copy the account number by hand
vpage-donate-qr-alt = VietQR code to donate to { $name }
vposter-address = Address: { $url }
vposter-local-warning = WARNING: this address only opens on the bot's own machine or local network; residents' phones cannot open it. Set PUBLIC_BASE_URL and print again.
