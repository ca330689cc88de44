"""The dialogs of one feature each (the shared ones are in ui/screens.py)."""
