"""Notifications: what happened for whom, in the application and by e-mail (at once, in a daily
digest, or not at all, as each user chooses per kind)."""
