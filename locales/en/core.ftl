# Core: greetings, help, errors, configuration, the web chat simulator.

config-error = Bad setting: { $variable }: { $reason }

start-title = Hello! I am the village assistant.
start-body =
    I send village notices, remind you of meetings, post construction progress, publish the donation ledger and answer common questions (VNeID, digital signatures, safe transfers…).
    Type /trogiup to see the commands you can use.
help-title = Commands you can use
help-intro = Commands start with /. Typing without diacritics is fine.
help-section-everyone = Everyone:
help-section-officials = Village officials:
help-compact-hint = Type a command alone to see how to use it, e.g. /taohop.
help-section-admins = Admins:
help-start = Greeting and introduction
help-help = List of commands
help-toi = Your id and roles
help-ngonngu = Change language (vi/en)
usage-ngonngu = Usage: /ngonngu vi or /ngonngu en
ngonngu-done = Switched to English.

toi-body =
    You: { $name }
    Platform: { $platform }
    Id: { $platform }:{ $id }
    Roles: { $roles }
    Village: { $village }
toi-no-village = not linked to a village yet
role-admin = Admin
role-resident = Resident

error-internal = Sorry, something went wrong with this message. Please try again in a few minutes.
error-unknown-command = I don't know the command /{ $command }. Type /trogiup to see the commands.
error-official-only = Only village officials can use this command.
error-admin-only = Only admins can use this command.
error-private-only = The command /{ $command } only works in a private chat with the bot.
error-group-only = The command /{ $command } only works in the village group.
error-no-village = This chat is not linked to a village yet. An admin links it with /ketnoi <village code>; in a private chat, type /dangky <village code>.

webchat-title = Try the village bot
webchat-banner = This is a simulator running on this machine: pick who you are and which chat, then talk as you would on Zalo or Telegram. Nothing is sent anywhere.
webchat-who = You are
webchat-where = Chatting in
webchat-send = Send
webchat-placeholder = Type a message, e.g. /trogiup
webchat-photo = Photo
webchat-private = Private chat with the bot
webchat-reply = Reply
webchat-role-admin = admin
webchat-role-official = village official
webchat-role-resident = resident
webchat-refused = The simulator only opens from the secret link printed when the bot starts (http://127.0.0.1:8080/?token=…), on this machine.
webchat-too-big = Photo too large: { $mb } MB at most. Please pick a smaller one.
webchat-network-error = Lost the connection to the bot. Check that it is running and try again.
webchat-send-failed = The message could not be sent. Please try again.
