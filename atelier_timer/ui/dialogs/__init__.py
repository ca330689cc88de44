"""Dialogs of their own module, each imported when it first opens."""
