# Delivery worker: the author's delivery report and platform pauses.

outbox-report = Delivered to { $sent }/{ $total } chats.
outbox-report-failed = Failed: { $list }.
outbox-report-waiting = Waiting: { $count } chats on { $platform } (paused: the message quota is used up).
outbox-report-not-pinned = Could not pin in: { $list } (the bot needs admin rights to pin).
outbox-reason-forbidden = the bot was removed or blocked
outbox-reason-not_found = chat not found
outbox-reason-bad_request = message refused
outbox-reason-transient = lasting network errors
outbox-reason-quota = message quota used up
outbox-platform-telegram = Telegram
outbox-platform-zalo = Zalo
outbox-platform-web = web chat
outbox-paused-quota = The bot has used up this month's { $platform } message quota, so sending on { $platform } is paused until { $until }. Messages not yet sent will go out automatically when the quota renews.
outbox-paused-quota-bot = The { $platform } bot "{ $bot }" has used up this month's message quota, so it stops sending until { $until }. Its groups get the messages not yet sent when the quota renews; the other bots keep sending.
