"""The parts of the screen, one widget per file, each drawing itself from the session it is handed."""
