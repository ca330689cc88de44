"""atelier-timer: a full-screen terminal timer for workshop facilitators."""

__version__ = "0.1.0"
