"""Watch which release answers /v1/health while a deploy runs, one line per change.

Usage: poll_health.py URL OUTPUT STOP_FILE. Polls every 0.2 s until STOP_FILE exists (or five
minutes pass) and writes `<seconds since start> <release or error>` to OUTPUT each time the
answer changes, ending with a `stopped` line.
"""

import json
import pathlib
import sys
import time
import urllib.request


def answer(url: str) -> str:
    try:
        with urllib.request.urlopen(url + "/v1/health", timeout=1) as response:
            return json.load(response)["release"]
    except (OSError, ValueError, KeyError) as error:
        return f"error:{type(error).__name__}"


def main() -> None:
    url, output, stop_file = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    started = time.monotonic()
    last = None
    with output.open("w") as log:
        while not stop_file.exists() and time.monotonic() - started < 300:
            current = answer(url)
            if current != last:
                log.write(f"{time.monotonic() - started:.1f} {current}\n")
                log.flush()
                last = current
            time.sleep(0.2)
        log.write(f"{time.monotonic() - started:.1f} stopped\n")


if __name__ == "__main__":
    main()
