# Villages, chats and roles: /taothon, /ketnoi, /dangky, /canbo, /capquyen, /nhatky, /caidat.

villages-none-yet = no village yet (an admin creates one with /taothon)
villages-valid = Village codes: { $codes }
villages-unknown = There is no village with code “{ $code }”. Village codes: { $codes }
villages-commune = the whole commune
who-unknown-username = I don't know anyone called @{ $username } on { $platform } yet. Please ask them to send /toi to the bot first, then try again (or use their id, e.g. { $platform }:123456).

help-taothon = Create a village
usage-taothon = Usage: /taothon <code> <village name>, e.g. /taothon thanhbinh Thôn Thanh Bình
taothon-bad-code = The village code “{ $code }” is not valid: use 2–40 plain latin letters, digits or -, e.g. thanhbinh
taothon-exists = A village with code “{ $code }” already exists. Please choose another code.
taothon-done = Created { $name } (code { $code }). Go to the village's group and type /ketnoi { $code } to link it.

help-ketnoi = Link this group to a village
usage-ketnoi = Usage: /ketnoi <village code> [tag …], e.g. /ketnoi thanhbinh dang-vien
ketnoi-bad-tags = Invalid tags: { $tags }. Tags use plain latin letters, digits and -, e.g. dang-vien, hoi-phu-nu, huu-tri
ketnoi-no-tags = none
ketnoi-done = This group is now linked to { $village }. Tags: { $tags }.
ketnoi-moved = This group moved from { $old } to { $village }. Tags: { $tags }.

help-ngatketnoi = Unlink this group from its village
ngatketnoi-not-linked = This group is not linked to any village.
ngatketnoi-done = This group is no longer linked to { $village }. It will not receive the village's notices any more.

help-dangky = Get the village's notices in a private chat
usage-dangky = Usage: /dangky <village code>, e.g. /dangky thanhbinh
dangky-group = /dangky and /huydangky are for your private chat with the bot, so you get the village's notices there. This group is linked by an admin with /ketnoi.
dangky-done = Subscribed: you will get the notices and reminders of { $village } here. To stop, type /huydangky.
dangky-moved = Your subscription moved from { $old } to { $village }. You follow one village at a time. To stop, type /huydangky.
dangky-already = You already get the notices of { $village }. To stop, type /huydangky.

help-huydangky = Stop getting the village's notices
huydangky-none = You are not subscribed to any village. Type /dangky <village code> to subscribe.
huydangky-done = You will no longer get the notices of { $village }. You can subscribe again any time with /dangky.

help-canbo = The village's officials
canbo-which = Which village? Type /canbo <village code>. Village codes: { $codes }
canbo-none = No officials are recorded for { $place } yet.
canbo-title = Officials of { $place }
canbo-line = • { $title }: { $name }
canbo-line-commune = • { $title } (commune): { $name }
canbo-unnamed = (name not known yet)

help-capquyen = Grant an official role
usage-capquyen = Usage: reply to that person's message with /capquyen <village code|xa> <title>, or /capquyen <@name | telegram:<id> | zalo:<id>> <village code|xa> <title>, e.g. /capquyen @nguyenvanba thanhbinh Trưởng thôn
capquyen-done = Granted: { $name } is { $title } of { $place }.
capquyen-updated = Title changed: { $name } is now { $title } of { $place }.

help-thuhoiquyen = Revoke an official role
usage-thuhoiquyen = Usage: reply to that person's message with /thuhoiquyen [village code|xa], or /thuhoiquyen <@name | telegram:<id> | zalo:<id>> [village code|xa], e.g. /thuhoiquyen @nguyenvanba
thuhoiquyen-none = { $name } has no official role to revoke.
thuhoiquyen-done = Revoked the roles of { $name }: { $titles }.

help-nhatky = Audit log
nhatky-title = Audit log (latest { $count } entries)
nhatky-empty = The audit log is empty.
nhatky-line = { $at } · { $name } · /{ $action } · village { $village } · { $detail }
nhatky-line-refused = { $at } · { $name } · /{ $action } · REFUSED · village { $village } · { $detail }

help-caidat = Village settings
caidat-title = Village settings (type /caidat <name> …):
caidat-quantri-help = /caidat quantri bat|tat — Telegram group admins count as the village's officials in that group
caidat-on = on
caidat-off = off
caidat-quantri-status = { $village }: Telegram group admins count as officials — currently { $state }. Change with /caidat quantri bat or /caidat quantri tat.
caidat-quantri-on = Turned on: in { $village }'s Telegram groups, group admins may use the officials' commands.
caidat-quantri-off = Turned off: only people granted a role with /capquyen are officials of { $village }.
