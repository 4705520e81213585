"""Signing in: the login limit shared by every worker process, and the lockout page."""
