# FAQ / digital-skills help desk: /hoi, /faq, /cauhoi, /traloi, /lienhe.

help-hoi = Ask a question: /hoi <question>
usage-hoi = What would you like to ask? Example: /hoi how to activate VNeID. In a private chat with the bot, just type your question.
help-cauhoi = Residents' unanswered questions; the village's own FAQ entries: /faq ds, /faq them, /faq sua, /faq xoa
help-traloi = Answer question n: /traloi <n> <text>; add +luu at the end to also save it as a village FAQ entry
usage-traloi = Usage: /traloi <question number> <answer>. Example: /traloi 3 Please bring your ID card to the commune police on Monday morning. Add +luu at the end to save it as a village FAQ entry.
help-lienhe = Village contacts
usage-lienhe = Usage: /lienhe sdt 0912 345 678 to publish your phone number, /lienhe sdt xoa to remove it.

faq-hello = Hello! Just type your question, e.g. how to activate VNeID, or what to do after a wrong transfer. I will answer or pass it to the village officials.
faq-thanks = You're welcome. Ask again any time!

faq-choices-title = Did you mean:
faq-choices-hint = Type /hoi { $example } to see answer { $example }.
faq-choices-hint-private = Type { $example } (or /hoi { $example }) to see answer { $example }.
faq-pick-none = There is no list to choose from. Please type your question, e.g. /hoi how to activate VNeID.
faq-pick-range = The last list had only { $count } items. Please pick a number from 1 to { $count }.
faq-pick-gone = The village officials just removed that entry. Please ask again.

faq-forwarded = I passed your question to the village officials. It is saved; an official will answer and I will send the answer to you here.
faq-forwarded-nobody = I could not find an answer, and no official can be reached through the bot right now. Your question is saved; type /lienhe to see how to contact them directly.
faq-open-private-chat = { $name }: { $count } residents' questions reached no official (see /cauhoi). Questions reach officials only in a private chat with the bot: please open a private chat with { $bot } and type /start (once is enough).
faq-place-none = unknown village
faq-place-all = all villages
faq-where-group = in the group { $group }
faq-where-private = in a private chat with the bot
faq-notify-title = New question ({ $place })
faq-notify-body =
    { $name } ({ $where }) asks:
    { $question }

    Answer: /traloi { $number } <text> (add +luu at the end to save it as a FAQ entry). All questions: /cauhoi

usage-faq-add = Usage: /faq them <question> | <answer>. Example: /faq them Where do I pay the study fund? | Pay Ms Lan, head of group 3.
usage-faq-edit = Usage: /faq sua <number> <new answer> (or /faq sua <number> <question> | <answer>). Example: /faq sua 2 Pay Mr Hung from this month.
usage-faq-delete = Usage: /faq xoa <number>. Example: /faq xoa 2
usage-faq-list = Usage: /faq ds
faq-list-title = { $place }'s own FAQ entries ({ $count })
faq-list-line = { $number }. { $question }
faq-list-footer = Edit: /faq sua <number> <answer>. Delete: /faq xoa <number>. Add: /faq them <question> | <answer>
faq-list-empty = { $place } has no FAQ entries of its own; the bot uses the shared FAQ. Add one: /faq them <question> | <answer>
faq-added = Added FAQ entry { $number }: { $question }
faq-added-override = Added FAQ entry { $number }: { $question }. It replaces the shared answer to the same question.
faq-edited = Edited FAQ entry { $number }: { $question }
faq-deleted = Deleted FAQ entry { $number }: { $question }
faq-entry-unknown = The village has no FAQ entry { $number }. Type /faq ds to see the list.

cauhoi-title = Unanswered questions of { $place } ({ $count })
cauhoi-line = { $number }. { $when } · { $name }: { $question }
cauhoi-footer = Answer: /traloi <number> <text>; add +luu at the end to save it as a FAQ entry.
cauhoi-none = { $place } has no questions waiting for an answer.
traloi-unknown = There is no question { $number } waiting for your answer. Type /cauhoi to see the list.
traloi-already = Question { $number } has already been answered.
traloi-unreachable = Could not send to { $name }: the bot is no longer in the chat where they asked.
faq-answer-title = A village official answered
faq-answer-body =
    { $name } asked: { $question }

    { $answer }

    — { $official }
traloi-sent = Sent the answer to question { $number } to { $name }.
traloi-sent-not-saved = Sent the answer to question { $number } to { $name }. The question belongs to no village, so it was not saved as a FAQ entry.
traloi-sent-saved = Sent the answer to question { $number } to { $name } and saved it as FAQ entry { $entry }.

lienhe-title = Contacts of { $place }
lienhe-line = • { $title }: { $name }
lienhe-line-phone = • { $title }: { $name } — { $phone }
lienhe-commune = { $title } (commune)
lienhe-footer = Questions about procedures and digital skills: type /hoi <question>. Emergencies: 113 police, 114 fire, 115 ambulance.
lienhe-none = { $place } has no officials registered with the bot yet.
lienhe-unknown = There is no village with code { $code }. Type /lienhe in the village group, or /lienhe <village code>.
lienhe-phone-set = Your phone number { $phone } is now shown in /lienhe.
lienhe-phone-removed = Your phone number was removed from /lienhe.
lienhe-phone-current = Number shown in /lienhe: { $phone }. Remove it: /lienhe sdt xoa
lienhe-phone-unset = You have not published a phone number. Add one: /lienhe sdt <number>
