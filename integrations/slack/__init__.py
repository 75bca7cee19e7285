"""The Slack bot (slack-bolt): mentions, DMs, slash commands, App Home, feedback and the weekly digest."""
