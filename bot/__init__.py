"""The two front ends of coverage-bot: the command line (``cli``) and the Telegram bot (``telegram``),
with the answer formatting they share (``formatting``)."""
