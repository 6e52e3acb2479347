# Households: list, edits, import, links, reach.

help-ho = Households; add, edit, import
usage-ho =
    Usage (in a private chat with the bot):
    /ho — the household list (/ho 2 for page 2)
    /ho them <hamlet> | <head of household> | <phone>
    /ho sua <household no.> <hamlet> | <head> | <phone>
    /ho xoa <household no.>
    /ho duyet <household no.> — confirm people who asked to join
    /ho lienket <household no.> <person> — link a person to the household
    /ho nhap — with a CSV or XLSX file attached (columns: xóm, chủ hộ, điện thoại)
    Example: /ho them Xom 3 | Nguyen Van An | 0912345678
usage-ho-them = A hamlet and the head of household are needed, separated by |. Example: /ho them Xom 3 | Nguyen Van An | 0912345678
usage-ho-lienket = Name the person: reply to their message, or @username, or telegram:<id> / zalo:<id>. Example: /ho lienket 12 @nguyenvanan
ho-title = Households of { $village } ({ $count }) — page { $page }/{ $pages }
ho-line = Household { $n } · { $head } · { $hamlet } · phone { $phone } · { $members }{ $state }
ho-line-reached = {" "}· received notice { $notice }
ho-line-not-reached = {" "}· did NOT receive notice { $notice }
ho-no-members = nobody linked yet
ho-more = More: /ho { $next }
ho-empty = The village has no household list yet. Add with /ho them or import a file with /ho nhap.
ho-bad-phone = "{ $phone }" is not a valid phone number. Example: 0912345678
ho-exists = Household { $n } already exists: { $head } ({ $hamlet }). To change it use /ho sua { $n } …
ho-added = Added household { $n }: { $head } ({ $hamlet }).
ho-edited = Updated household { $n }: { $head } ({ $hamlet }).
ho-not-found = There is no household { $n } in the village.
ho-removed = Household { $n } was removed from the list.
ho-removed-done = Removed household { $n } ({ $head }) from the list.
ho-nothing-to-approve = Nobody is waiting to join household { $n }.
ho-approved = Linked to household { $n }: { $names }.
ho-request-gone = This request is no longer waiting.
ho-other-household = { $name } already belongs to household { $n }. A person belongs to one household per village.
ho-request = { $name } asks to join household { $n }: { $head } ({ $hamlet }). Confirm with /ho duyet { $n } or the button below.
ho-request-button = Confirm
help-hocuatoi = Your household / ask to join one
usage-hocuatoi = Usage: /hocuatoi to see your household, /hocuatoi <household no.> to ask to join it. Example: /hocuatoi 12
hocuatoi-none = You do not belong to a household yet. Ask an official for your family's household number, then type /hocuatoi <no.>, e.g. /hocuatoi 12.
hocuatoi-linked = You belong to household { $n }: { $head }.
hocuatoi-pending = You asked to join household { $n } ({ $head }); an official has not confirmed yet.
hocuatoi-already = You already belong to household { $n }. If that is wrong, ask an official to fix it.
hocuatoi-asked = Your request to join household { $n } ({ $head }) is saved; an official will confirm it.
hocuatoi-asked-no-official = Your request to join household { $n } ({ $head }) is saved. No official has a private chat with the bot yet, so nobody was told; ask an official to type /ho duyet { $n }.
ho-import-no-file = Send a CSV or XLSX file with /ho nhap (or reply to a message with the file). Columns: xóm, chủ hộ, điện thoại.
import-error-too-big = The file is too big (at most { $mb } MB). A household list is usually a few dozen KB.
import-error-xlsx = This Excel file cannot be read. Save it as .xlsx or .csv and send it again.
import-error-format = The file is not CSV or XLSX.
import-error-header = No header row with the columns "xóm" and "chủ hộ" (optionally "điện thoại") was found.
import-error-too-many = The file has too many rows (at most 5000 households).
import-error-empty = The file holds no household.
import-bad-rows = { $count } rows have errors; nothing was imported. Fix the file and send it again:
import-row-missing = Line { $line }: the hamlet or the head of household is missing.
import-row-phone = Line { $line }: "{ $detail }" is not a valid phone number.
import-row-duplicate = Line { $line }: the same as line { $detail }.
import-more-errors = … and { $count } more rows with errors.
import-title = Preview: the file holds { $count } households
import-summary = Will add { $added } households, update the phone of { $changed }, leave { $same } as they are; { $untouched } existing households not in the file stay unchanged.
import-add-line = + { $hamlet } · { $head }
import-change-line = ~ Household { $n } · { $head }: { $old } → { $new }
import-confirm-hint = Nothing imported yet. Type /xacnhan to import or /huy to drop it (draft { $n }, kept until { $until }).
import-button-ok = Import
import-button-cancel = Drop
import-no-draft = No file is waiting to be imported (or it expired). Send the file again with /ho nhap.
import-done = Imported: { $added } households added, { $changed } updated.
import-cancelled = Dropped; nothing was imported.
help-chuanhan = Households a notice or meeting missed, with phones
usage-chuanhan = Usage: /chuanhan <notice no.> [page], or /chuanhan hop <meeting no.> [page]. Example: /chuanhan 3
chuanhan-no-notice = Notice { $n } has not been sent in this village.
chuanhan-title = Notice { $n }: households not reached — page { $page }/{ $pages }
chuanhan-hamlet = { $hamlet }:
chuanhan-not-reached = • Household { $n } · { $head } · phone { $phone }
chuanhan-read-header = Received but not read:
chuanhan-not-read = • Household { $n } · { $head } ({ $hamlet }) · phone { $phone }
chuanhan-all = Every household received and read it.
chuanhan-more = More: /chuanhan { $n } { $next }
ho-private-only = The household list and phone numbers are shown only in a private chat with the bot, never in a group.
reach-summary = { $reached }/{ $total } households received it, { $read } read it.
reach-summary-meeting = { $reached }/{ $total } households received it, { $read } answered (attending or not).
chuanhan-no-meeting = Meeting { $n } has not been sent in this village.
chuanhan-title-meeting = Meeting { $n }: households not reached — page { $page }/{ $pages }
chuanhan-read-header-meeting = Received but not answered:
chuanhan-all-meeting = Every household received and answered it.
chuanhan-more-meeting = More: /chuanhan hop { $n } { $next }
