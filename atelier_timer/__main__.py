"""The ``atelier-timer`` command (and ``python -m atelier_timer``): ``run`` hands over to ``cli.main``.

The garbage collector is off from here until the screen's first frame is out (the app turns it back
on; the commands that open no screen turn it on at once): start-up builds tens of thousands of
objects that live as long as the program and makes next to no garbage, and the collector's passes
over them took a sixth of the time before the countdown showed.
"""

import gc


def run() -> int:
    gc.disable()
    try:
        from atelier_timer.cli import main

        return main()
    finally:
        gc.enable()


if __name__ == "__main__":
    raise SystemExit(run())
