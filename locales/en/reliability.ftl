# Reliability: what a person is told when the bot cannot keep up for a moment.

error-busy = The system is busy, so this message was not processed. Please send it again in a few minutes.
